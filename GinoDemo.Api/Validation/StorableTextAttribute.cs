using System.ComponentModel.DataAnnotations;

namespace GinoDemo.Api.Validation;

/// <summary>
/// PostgreSQL <c>text</c> cannot hold U+0000: such input is the client's mistake (400), not a database failure (500).
/// Lone surrogates never get this far: System.Text.Json rejects them while reading.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class StorableTextAttribute() : ValidationAttribute("The {0} field must not contain the NUL character (U+0000).")
{
    public override bool IsValid(object? value) => value is not string text || !text.Contains('\0', StringComparison.Ordinal);
}
