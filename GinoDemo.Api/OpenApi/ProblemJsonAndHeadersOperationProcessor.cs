using System.Globalization;
using System.Reflection;
using NJsonSchema;
using NSwag;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;

namespace GinoDemo.Api.OpenApi;

/// <summary>
/// What NSwag cannot see from the attributes: errors are served as application/problem+json (it gives every
/// response the action's media type), a 201 carries the new resource's Location, and the headers an action reads
/// or writes itself (<see cref="RequestHeaderAttribute"/>, <see cref="ResponseHeaderAttribute"/>).
/// </summary>
internal sealed class ProblemJsonAndHeadersOperationProcessor : IOperationProcessor
{
    private const string Json = "application/json";
    private const string ProblemJson = "application/problem+json";

    public bool Process(OperationProcessorContext context)
    {
        var operation = context.OperationDescription.Operation;
        foreach (var (status, response) in operation.Responses)
        {
            if (int.TryParse(status, out var code) && code >= 400 && response.Content.Remove(Json, out var mediaType))
            {
                response.Content[ProblemJson] = mediaType;
            }

            if (status == "201")
            {
                response.Headers["Location"] = Header("The new resource's URL, relative to the server.", "uri-reference");
            }
        }

        foreach (var header in context.MethodInfo.GetCustomAttributes<RequestHeaderAttribute>())
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = header.Name,
                Kind = OpenApiParameterKind.Header,
                Description = header.Description,
                IsRequired = false,
                Schema = new JsonSchema { Type = JsonObjectType.String },
            });
        }

        foreach (var header in context.MethodInfo.GetCustomAttributes<ResponseHeaderAttribute>())
        {
            operation.Responses[header.Status.ToString(CultureInfo.InvariantCulture)].Headers[header.Name] = Header(header.Description);
        }

        return true;
    }

    private static OpenApiHeader Header(string description, string? format = null) => new()
    {
        Description = description,
        Schema = new JsonSchema { Type = JsonObjectType.String, Format = format },
    };
}
