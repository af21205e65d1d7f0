using System.Text.Json;
using static GinoDemo.Tests.HostileInput.HostileCases;
using static GinoDemo.Tests.HostileInput.HostileRequests;

namespace GinoDemo.Tests.HostileInput;

/// <summary>Renames (PATCH of a stored user) with the bodies a create refuses, and a few of their own.</summary>
public sealed class PatchBodiesTests : HostileInputTest
{
    private static IEnumerable<TestCaseData> Cases()
    {
        yield return Problem("A PATCH with malformed JSON is a 400", 400, PatchStored("""{"name": "x" """));
        yield return Problem("A PATCH with a null name is a 400", 400, PatchStored("""{"name": null}"""));
        yield return Problem("A PATCH without a name is a 400", 400, PatchStored("{}"));
        yield return Problem("A PATCH choosing the id is a 400", 400, PatchStored("""{"name": "x", "id": 999}"""));
        yield return Problem("A PATCH with a NUL character is a 400", 400, PatchStored("""{"name": "a\u0000b"}"""));
        yield return Problem("A PATCH with a lone surrogate is a 400", 400, PatchStored("""{"name": "\ud800"}"""));
        yield return Problem("A PATCH with a name of 257 letters is a 400", 400, PatchStored(JsonSerializer.Serialize(new { name = new string('a', 257) })));
        yield return Problem("A PATCH with a name of 257 emoji is a 400", 400,
            PatchStored(JsonSerializer.Serialize(new { name = string.Concat(Enumerable.Repeat("🐘", 257)) })));
        yield return Problem("A JSON patch document is a 400", 400, PatchStored("""[{"op": "replace", "path": "/name", "value": "x"}]""", "application/json-patch+json"));
        yield return Problem("A PATCH as text/plain is a 415", 415, PatchStored("""{"name": "x"}""", "text/plain"));
        yield return Problem("A PATCH body over 64 KiB is a 413", 413, PatchStored(PadTo("""{"name": "x"}""", MaxBodySize + 1)));
        yield return Problem("A PATCH of a missing user is a 404", 404, (api, _) => Patch("/users/999999", """{"name": "x"}""")(api, 0));
        yield return Problem("A PATCH with a hexadecimal id is a 400", 400, (api, id) => Patch($"/users/0x{id:x}", """{"name": "x"}""")(api, id));
    }
}
