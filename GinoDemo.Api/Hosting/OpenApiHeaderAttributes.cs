namespace GinoDemo.Api.Hosting;

// Headers an action reads or writes itself (preconditions, ETag, Link), declared for the OpenAPI document and the
// clients generated from it; HttpConventionsOperationProcessor adds them.

/// <summary>An optional request header the action reads.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class RequestHeaderAttribute(string name, string description) : Attribute
{
    public string Name { get; } = name;

    public string Description { get; } = description;
}

/// <summary>A header the action sets on responses with <see cref="Status"/>.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class ResponseHeaderAttribute(int status, string name, string description) : Attribute
{
    public int Status { get; } = status;

    public string Name { get; } = name;

    public string Description { get; } = description;
}
