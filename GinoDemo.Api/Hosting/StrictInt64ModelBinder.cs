using System.Globalization;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace GinoDemo.Api.Hosting;

/// <summary>
/// Ids in URLs are plain decimal digits. The framework's own conversion also takes hex ("0x10"), spaces and a
/// plus sign, which gives one user many URLs and let <c>DELETE /users/0x1</c> delete user 1.
/// </summary>
internal sealed class StrictInt64ModelBinder : IModelBinder
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
        if (IsDecimal(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id))
        {
            bindingContext.Result = ModelBindingResult.Success(id);
        }
        else
        {
            bindingContext.ModelState.TryAddModelError(bindingContext.ModelName,
                $"The {bindingContext.ModelName} must be a whole number from {long.MinValue} to {long.MaxValue}, in decimal digits without leading zeros.");
        }

        return Task.CompletedTask;
    }

    /// <summary>Digits without a leading zero ("01" would be a second URL of user 1), optionally negative.</summary>
    private static bool IsDecimal(string? text) =>
        text is { Length: > 0 } && (text[0] == '-' ? text.AsSpan(1) : text.AsSpan()) is { Length: > 0 } digits
        && !digits.ContainsAnyExceptInRange('0', '9') && (digits.Length == 1 || digits[0] != '0');
}

internal sealed class StrictInt64ModelBinderProvider : IModelBinderProvider
{
    private static readonly StrictInt64ModelBinder Binder = new();

    public IModelBinder? GetBinder(ModelBinderProviderContext context) =>
        context?.Metadata.ModelType == typeof(long) ? Binder : null;
}
