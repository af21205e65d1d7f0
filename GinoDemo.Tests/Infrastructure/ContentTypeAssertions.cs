namespace GinoDemo.Tests.Infrastructure;

public static class ContentTypeAssertions
{
    /// <summary>
    /// Asserts that the answer names its media type, and that it is <paramref name="mediaType"/>. A missing
    /// Content-Type fails: an answer with a body says what it is (RFC 9110, section 8.3), and a check written as
    /// <c>ContentType?.MediaType.Should()</c> would skip itself exactly then.
    /// </summary>
    public static void ShouldHaveMediaType(this HttpResponseMessage response, string mediaType)
    {
        var contentType = response.Content.Headers.ContentType;
        contentType.Should().NotBeNull("the answer to {0} {1} must name its media type", response.RequestMessage?.Method, response.RequestMessage?.RequestUri);
        contentType!.MediaType.Should().Be(mediaType);
    }
}
