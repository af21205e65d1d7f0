using System.Globalization;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace GinoDemo.Api.Validation;

/// <summary>
/// Ids in URLs and numbers in query strings (<c>long</c> and <c>int</c>) are plain decimal digits, given once. The framework's own conversion
/// also takes hex ("0x10"), spaces and a plus sign, which gives one user many URLs and let <c>DELETE /users/0x1</c>
/// delete user 1; and it silently takes the first of <c>?limit=1&amp;limit=500</c>.
/// </summary>
internal sealed class StrictIntegerModelBinder(long min, long max) : IModelBinder
{
    public Task BindModelAsync(ModelBindingContext bindingContext)
    {
        var value = bindingContext.ValueProvider.GetValue(bindingContext.ModelName);
        if (value == ValueProviderResult.None)
        {
            return Task.CompletedTask;
        }

        bindingContext.ModelState.SetModelValue(bindingContext.ModelName, value);
        var text = value.FirstValue;
        if (value.Length == 1 && IsDecimal(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            && number >= min && number <= max)
        {
            var type = Nullable.GetUnderlyingType(bindingContext.ModelType) ?? bindingContext.ModelType;
            bindingContext.Result = ModelBindingResult.Success(type == typeof(int) ? (object)(int)number : number);
        }
        else
        {
            bindingContext.ModelState.TryAddModelError(bindingContext.ModelName, value.Length > 1
                ? $"The {bindingContext.ModelName} must be given once."
                : $"The {bindingContext.ModelName} must be a whole number from {min} to {max}, in decimal digits without leading zeros.");
        }

        return Task.CompletedTask;
    }

    /// <summary>Digits without a leading zero ("01" would be a second URL of user 1), optionally negative.</summary>
    private static bool IsDecimal(string? text) =>
        text is { Length: > 0 } && (text[0] == '-' ? text.AsSpan(1) : text.AsSpan()) is { Length: > 0 } digits
        && !digits.ContainsAnyExceptInRange('0', '9') && (digits.Length == 1 || digits[0] != '0');
}
