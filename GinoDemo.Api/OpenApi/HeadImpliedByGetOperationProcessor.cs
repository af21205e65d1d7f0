using NSwag;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;

namespace GinoDemo.Api.OpenApi;

/// <summary>
/// Leaves HEAD operations out of the document on purpose. Every GET route also answers HEAD (<c>[HttpGet, HttpHead]</c>),
/// and RFC 9110 makes HEAD implied by GET: every general-purpose server supports it (section 9.1), and it is GET
/// without the content (section 9.3.2), so a HEAD operation would repeat its GET's parameters and headers and describe
/// no body, under an operationId of its own that the generated client would turn into one more, useless method. The
/// GET operations say in their description that HEAD answers the same.
/// </summary>
internal sealed class HeadImpliedByGetOperationProcessor : IOperationProcessor
{
    public bool Process(OperationProcessorContext context) =>
        !string.Equals(context.OperationDescription.Method, OpenApiOperationMethod.Head, StringComparison.OrdinalIgnoreCase);
}
