using static GinoDemo.Tests.HostileInput.HostileCases;
using static GinoDemo.Tests.HostileInput.HostileRequests;

namespace GinoDemo.Tests.HostileInput;

/// <summary>Names at and just over the documented maximum of 256 code points, and far over it.</summary>
public sealed class LongNamesTests : HostileInputTest
{
    private static IEnumerable<TestCaseData> Cases()
    {
        // The documented maximum counts Unicode code points, as PostgreSQL's char_length does, not UTF-16 units.
        var emoji = "🐘";
        yield return Created("A name of 256 letters is stored", new string('a', MaxNicknameLength), PostName(new string('a', MaxNicknameLength)));
        yield return Problem("A name of 257 letters is a 400", 400, PostName(new string('a', MaxNicknameLength + 1)));
        yield return Created("A name of 256 emoji is stored", string.Concat(Enumerable.Repeat(emoji, MaxNicknameLength)),
            PostName(string.Concat(Enumerable.Repeat(emoji, MaxNicknameLength))));
        yield return Problem("A name of 257 emoji is a 400", 400, PostName(string.Concat(Enumerable.Repeat(emoji, MaxNicknameLength + 1))));
        yield return Created("A name of 255 letters and an emoji is 256 code points and stored", new string('a', 255) + emoji,
            PostName(new string('a', 255) + emoji));
        yield return Created("A name of 128 letters with combining accents is 256 code points and stored",
            string.Concat(Enumerable.Repeat("e\u0301", 128)), PostName(string.Concat(Enumerable.Repeat("e\u0301", 128))));
        yield return Problem("A name of 129 letters with combining accents is 258 code points and a 400", 400,
            PostName(string.Concat(Enumerable.Repeat("e\u0301", 129))));
        yield return Problem("A name of 60,000 letters is a 400", 400, PostName(new string('a', 60_000)));
    }
}
