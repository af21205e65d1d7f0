using GinoDemo.Api.OpenApi;
using Microsoft.AspNetCore.Mvc.ModelBinding.Metadata;

namespace GinoDemo.Api.Validation;

public static class StrictInputExtensions
{
    /// <summary>
    /// MVC controllers (found anywhere in this assembly as application parts: no list to maintain) that read input
    /// strictly: JSON bodies with exact, unique field names, ids and numbers in plain decimal
    /// (<see cref="StrictIntegerModelBinder"/>), validation errors keyed by the field as clients spell it.
    /// </summary>
    public static WebApplicationBuilder AddControllersWithStrictInput(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddControllers(options =>
            {
                // Validation errors name fields as clients spell them ("name", not "Name").
                options.ModelMetadataDetailsProviders.Add(new SystemTextJsonValidationMetadataProvider());
                // A body that fails to parse is reported once, as the body, not again as a missing "request".
                options.SuppressImplicitRequiredAttributeForNonNullableReferenceTypes = true;
                options.ModelBinderProviders.Insert(0, new StrictIntegerModelBinderProvider());
            })
            .AddJsonOptions(options =>
            {
                // The body is {"name": ...} exactly: "Name" is an unknown field, and a name given twice is ambiguous.
                options.JsonSerializerOptions.PropertyNameCaseInsensitive = false;
                options.JsonSerializerOptions.AllowDuplicateProperties = false;
                // The API's bodies from generated code (reflection stays behind it for everything else).
                options.JsonSerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default);
            })
            // The OpenAPI document lists paths and schemas in controller order: by name, not by where files happen to be.
            .ConfigureApplicationPartManager(parts => parts.FeatureProviders.Add(new ControllersByNameFeatureProvider()));
        return builder;
    }
}
