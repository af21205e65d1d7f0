using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.AspNetCore.Mvc.Controllers;

namespace GinoDemo.Api.OpenApi;

/// <summary>
/// Puts the controllers in name order after MVC has found them. MVC takes them in the order the compiler emitted
/// their types, which moves when files move between folders, and that order is the order of the paths and schemas
/// in the OpenAPI document: sorted, the committed contract (docs/openapi.json) changes only when the API does.
/// </summary>
internal sealed class ControllersByNameFeatureProvider : IApplicationFeatureProvider<ControllerFeature>
{
    public void PopulateFeature(IEnumerable<ApplicationPart> parts, ControllerFeature feature)
    {
        ArgumentNullException.ThrowIfNull(feature);
        var sorted = feature.Controllers.OrderBy(controller => controller.Name, StringComparer.Ordinal).ToList();
        feature.Controllers.Clear();
        foreach (var controller in sorted)
        {
            feature.Controllers.Add(controller);
        }
    }
}
