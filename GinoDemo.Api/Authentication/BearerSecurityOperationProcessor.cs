using NSwag;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;

namespace GinoDemo.Api.Authentication;

/// <summary>
/// Declares on each operation what <see cref="ScopePolicyConvention"/> enforces, by the same rule (its HTTP method):
/// a bearer token (pasted), or a sign-in at the issuer with the read or write scope, and the 401 and 403 answers.
/// </summary>
internal sealed class BearerSecurityOperationProcessor(BearerAuthOptions settings) : IOperationProcessor
{
    private const string ProblemJson = "application/problem+json";

    public bool Process(OperationProcessorContext context)
    {
        var description = context.OperationDescription;
        var reads = description.Method is "get" or "head" or "options" or "trace";
        if (reads && settings.AnonymousReads)
        {
            return true;
        }

        var scope = reads ? settings.ReadScope : settings.WriteScope;
        var operation = description.Operation;
        // Either one (OpenAPI 3.0.3 section 4.7.10: the list's entries are alternatives).
        operation.Security ??= [];
        operation.Security.Add(new OpenApiSecurityRequirement { [BearerOpenApiExtensions.BearerScheme] = [] });
        operation.Security.Add(new OpenApiSecurityRequirement { [BearerOpenApiExtensions.SignInScheme] = [scope] });

        // Every operation declares 429 problem+json: the new answers share its schema.
        var problem = operation.Responses.TryGetValue("429", out var tooMany) && tooMany.Content.TryGetValue(ProblemJson, out var media)
            ? media.Schema
            : null;
        operation.Responses["401"] = Response(problem,
            "No bearer token, or one that is not valid (expired, not yet valid, another issuer or audience, a bad signature). " +
            "WWW-Authenticate: Bearer, with error=\"invalid_token\" when a token was sent (RFC 6750 section 3.1).");
        operation.Responses["403"] = Response(problem,
            $"The token is valid but lacks the scope '{scope}'. WWW-Authenticate: Bearer error=\"insufficient_scope\", scope=\"{scope}\".");
        return true;
    }

    private static OpenApiResponse Response(NJsonSchema.JsonSchema? schema, string description)
    {
        var response = new OpenApiResponse { Description = description };
        response.Content[ProblemJson] = new OpenApiMediaType { Schema = schema };
        response.Headers["WWW-Authenticate"] = new OpenApiHeader
        {
            Description = "The bearer challenge (RFC 6750 section 3).",
            Schema = new NJsonSchema.JsonSchema { Type = NJsonSchema.JsonObjectType.String },
        };
        return response;
    }
}
