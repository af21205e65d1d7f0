using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace GinoDemo.Api.Validation;

/// <summary>Binds every <c>long</c> and <c>int</c> parameter (nullable too) with <see cref="StrictIntegerModelBinder"/>.</summary>
internal sealed class StrictIntegerModelBinderProvider : IModelBinderProvider
{
    private static readonly StrictIntegerModelBinder Int64 = new(long.MinValue, long.MaxValue);
    private static readonly StrictIntegerModelBinder Int32 = new(int.MinValue, int.MaxValue);

    public IModelBinder? GetBinder(ModelBinderProviderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var type = Nullable.GetUnderlyingType(context.Metadata.ModelType) ?? context.Metadata.ModelType;
        return type == typeof(long) ? Int64 : type == typeof(int) ? Int32 : null;
    }
}
