using static GinoDemo.Tests.HostileInput.HostileCases;
using static GinoDemo.Tests.HostileInput.HostileRequests;

namespace GinoDemo.Tests.HostileInput;

/// <summary>
/// Names in odd Unicode: characters PostgreSQL cannot store, bytes that are not UTF-8, and odd but valid text, which
/// is stored exactly as sent.
/// </summary>
public sealed class OddUnicodeTests : HostileInputTest
{
    private static IEnumerable<TestCaseData> Cases()
    {
        // PostgreSQL text cannot hold U+0000, and UTF-16 text with a lone surrogate has no UTF-8 form at all.
        yield return Problem("An escaped NUL character is a 400", 400, Post("""{"name": "\u0000"}"""));
        yield return Problem("An escaped NUL character inside the name is a 400", 400, Post("""{"name": "adm\u0000in"}"""));
        yield return Problem("A raw NUL byte inside the name is a 400", 400, PostUtf8Name([0x61, 0x00, 0x62]));
        yield return Problem("A lone high surrogate is a 400", 400, Post("""{"name": "\ud800"}"""));
        yield return Problem("A lone low surrogate is a 400", 400, Post("""{"name": "\udfff"}"""));
        yield return Problem("A surrogate pair in the wrong order is a 400", 400, Post("""{"name": "\udc18\ud83d"}"""));
        yield return Problem("A high surrogate at the end of the name is a 400", 400, Post("""{"name": "x\ud83d"}"""));

        // Bytes that are not UTF-8 at all.
        yield return Problem("A 0xFF byte is a 400", 400, PostUtf8Name([0x61, 0xFF, 0x62]));
        yield return Problem("A lone continuation byte is a 400", 400, PostUtf8Name([0x80]));
        yield return Problem("A truncated three-byte sequence is a 400", 400, PostUtf8Name([0xE2, 0x82]));
        yield return Problem("An overlong slash is a 400", 400, PostUtf8Name([0xC0, 0xAF]));
        yield return Problem("An overlong NUL is a 400", 400, PostUtf8Name([0xC0, 0x80]));
        yield return Problem("A three-byte overlong slash is a 400", 400, PostUtf8Name([0xE0, 0x80, 0xAF]));
        yield return Problem("A surrogate encoded as UTF-8 is a 400", 400, PostUtf8Name([0xED, 0xA0, 0x80]));
        yield return Problem("A code point above U+10FFFF is a 400", 400, PostUtf8Name([0xF4, 0x90, 0x80, 0x80]));
        yield return Problem("A five-byte sequence is a 400", 400, PostUtf8Name([0xF8, 0x88, 0x80, 0x80, 0x80]));

        // Odd but valid: PostgreSQL stores every Unicode scalar value but U+0000, so these are stored as sent.
        yield return Created("The escaped noncharacter U+FFFF is stored", "\uffff", Post("""{"name": "\uffff"}"""));
        yield return Created("The raw noncharacter U+FFFF is stored", "\uffff", PostUtf8Name([0xEF, 0xBF, 0xBF]));
        yield return Created("The noncharacter U+FFFE is stored", "\ufffe", Post("""{"name": "\ufffe"}"""));
        yield return Created("The last code point U+10FFFF is stored", "\U0010FFFF", Post("""{"name": "\udbff\udfff"}"""));
        yield return Created("A right-to-left override is stored", "\u202Egnp.exe", Post("{\"name\": \"\u202Egnp.exe\"}"));
        yield return Created("A zero-width joiner sequence is stored", "\U0001F469\u200D\U0001F4BB", Post("""{"name": "\ud83d\udc69\u200d\ud83d\udcbb"}"""));
        yield return Created("A lone zero-width joiner is stored", "\u200D", Post("""{"name": "\u200d"}"""));
        yield return Created("A raw four-byte emoji is stored", "🐘", Post("""{"name": "🐘"}"""));
        yield return Created("An escaped surrogate pair is stored as its emoji", "🐘", Post("""{"name": "\ud83d\udc18"}"""));
        yield return Created("A byte order mark inside the name is stored", "\uFEFFx", Post("""{"name": "\ufeffx"}"""));
        yield return Created("A line separator is stored", "a\u2028b", Post("""{"name": "a\u2028b"}"""));
        yield return Created("Control characters other than NUL are stored", "\u0001\u001b[31mred", Post("""{"name": "\u0001\u001b[31mred"}"""));
        yield return Created("Combining marks are stored unnormalised", "Zoe\u0308", Post("""{"name": "Zoe\u0308"}"""));
        yield return Created("A tower of combining marks is stored", "Z" + new string('\u0336', 200), Post("{\"name\": \"Z" + new string('\u0336', 200) + "\"}"));
    }
}
