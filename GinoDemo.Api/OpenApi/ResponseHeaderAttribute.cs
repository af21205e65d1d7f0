namespace GinoDemo.Api.OpenApi;

/// <summary>
/// A header the action sets itself (ETag, Link) on responses with <see cref="Status"/>, declared for the OpenAPI
/// document; <see cref="ProblemJsonAndHeadersOperationProcessor"/> adds it.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class ResponseHeaderAttribute(int status, string name, string description) : Attribute
{
    public int Status { get; } = status;

    public string Name { get; } = name;

    public string Description { get; } = description;
}
