using System.ComponentModel.DataAnnotations;

namespace GinoDemo.Api.Validation;

/// <summary>
/// A length limit counted in code points, as PostgreSQL's <c>char_length</c> and JSON Schema's <c>maxLength</c>
/// count: an emoji is one character here, in the table's check constraint and in the OpenAPI document, where
/// <see cref="MaxLengthAttribute"/> alone would count two. Deriving from it puts <c>maxLength</c> in the schema.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class MaxCodePointsAttribute : MaxLengthAttribute
{
    public MaxCodePointsAttribute(int length)
        : base(length) => ErrorMessage = "The {0} field must be at most {1} characters long.";

    public override bool IsValid(object? value) => value is not string text || CountCodePoints(text) <= Length;

    private int CountCodePoints(string text)
    {
        // Stops once over the limit: a huge value costs no more than a valid one.
        var count = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            if (++count > Length)
            {
                break;
            }
        }

        return count;
    }
}
