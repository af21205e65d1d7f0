namespace GinoDemo.Api.OpenApi;

/// <summary>
/// An optional request header the action reads itself (a precondition, an idempotency key), declared for the OpenAPI
/// document and the clients generated from it; <see cref="ProblemJsonAndHeadersOperationProcessor"/> adds it.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class RequestHeaderAttribute(string name, string description) : Attribute
{
    public string Name { get; } = name;

    public string Description { get; } = description;
}
