namespace GinoDemo.Api.Edge;

/// <summary>What could not be bound from the <c>Kestrel</c> section, for the start-up check to report.</summary>
internal sealed class KestrelBindingFailures : List<string>;
