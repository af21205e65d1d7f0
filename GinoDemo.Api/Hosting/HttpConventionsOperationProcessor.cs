using NJsonSchema;
using NSwag;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;

namespace GinoDemo.Api.Hosting;

/// <summary>
/// What NSwag cannot see from the attributes: errors are served as application/problem+json (it gives every
/// response the action's media type), and a 201 carries the new resource's Location.
/// </summary>
internal sealed class HttpConventionsOperationProcessor : IOperationProcessor
{
    private const string Json = "application/json";
    private const string ProblemJson = "application/problem+json";

    public bool Process(OperationProcessorContext context)
    {
        foreach (var (status, response) in context.OperationDescription.Operation.Responses)
        {
            if (int.TryParse(status, out var code) && code >= 400 && response.Content.Remove(Json, out var mediaType))
            {
                response.Content[ProblemJson] = mediaType;
            }

            if (status == "201")
            {
                response.Headers["Location"] = new OpenApiHeader
                {
                    Description = "The new resource's URL, relative to the server.",
                    Schema = new JsonSchema { Type = JsonObjectType.String, Format = "uri-reference" },
                };
            }
        }

        return true;
    }
}
