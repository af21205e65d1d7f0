using static GinoDemo.Tests.HostileInput.HostileCases;
using static GinoDemo.Tests.HostileInput.HostileRequests;

namespace GinoDemo.Tests.HostileInput;

/// <summary>Malformed, stale and weak tags in <c>If-Match</c> and <c>If-None-Match</c>, and malformed idempotency keys.</summary>
public sealed class OddETagsAndKeysTests : HostileInputTest
{
    private static IEnumerable<TestCaseData> Cases()
    {
        yield return Problem("An unquoted If-Match is a 400", 400, PatchStored("""{"name": "x"}""", headers: ("If-Match", "123")));
        yield return Problem("An unterminated If-Match is a 400", 400, PatchStored("""{"name": "x"}""", headers: ("If-Match", "\"123")));
        yield return Problem("A stale If-Match is a 412", 412, PatchStored("""{"name": "x"}""", headers: ("If-Match", "\"1\"")));
        yield return Problem("A weak If-Match is a 412", 412, PatchStored("""{"name": "x"}""", headers: ("If-Match", "W/\"1\"")));
        yield return Problem("An If-Match holding SQL is a 412", 412, PatchStored("""{"name": "x"}""", headers: ("If-Match", "\"1' OR '1'='1\"")));
        yield return Problem("A thousand stale tags in If-Match are a 412", 412,
            PatchStored("""{"name": "x"}""", headers: ("If-Match", string.Join(", ", Enumerable.Range(0, 1000).Select(i => $"\"{i}\"")))));
        yield return Problem("A DELETE with a stale If-Match is a 412", 412, (api, id) => SendRequest(HttpMethod.Delete, $"/users/{id}", null, null, ("If-Match", "\"1\""))(api, id));
        yield return Problem("A DELETE with a malformed If-Match is a 400", 400, (api, id) => SendRequest(HttpMethod.Delete, $"/users/{id}", null, null, ("If-Match", "*, x"))(api, id));
        yield return Problem("A malformed If-None-Match is a 400", 400, WithHeaders(("If-None-Match", "nonsense")));
        yield return Problem("A star among tags in If-Match is a 400 (the grammar is \"*\" or tags)", 400, WithHeaders(("If-Match", "*, \"1\"")));
        yield return Problem("A malformed If-None-Match on a PATCH is a 400", 400, PatchStored("""{"name": "x"}""", headers: ("If-None-Match", "nonsense")));
        yield return Problem("If-None-Match: * on a PATCH of a stored user is a 412", 412, PatchStored("""{"name": "x"}""", headers: ("If-None-Match", "*")));
        yield return Problem("If-None-Match: * on a DELETE of a stored user is a 412", 412,
            (api, id) => SendRequest(HttpMethod.Delete, $"/users/{id}", null, null, ("If-None-Match", "*"))(api, id));
        yield return Read("A stale If-None-Match reads the user", WithHeaders(("If-None-Match", "\"1\", W/\"2\"")));
        yield return Problem("An Idempotency-Key of 256 characters is a 400", 400, PostWithKey(new string('k', 256)));
        yield return Problem("An Idempotency-Key with a space is a 400", 400, PostWithKey("two words"));
        yield return Problem("A quoted Idempotency-Key with a bad escape is a 400", 400, PostWithKey("\"a\\nb\""));
        yield return Problem("An Idempotency-Key with text after its quotes is a 400", 400, PostWithKey("\"a\"b"));
        yield return Created("An Idempotency-Key full of punctuation is a key like any other", "x", PostWithKey("\"'; DROP TABLE idempotency_keys; --\""));
    }
}
