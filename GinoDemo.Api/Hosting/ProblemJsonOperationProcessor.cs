using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;

namespace GinoDemo.Api.Hosting;

/// <summary>NSwag gives every response the action's media type; errors are served as application/problem+json.</summary>
internal sealed class ProblemJsonOperationProcessor : IOperationProcessor
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
        }

        return true;
    }
}
