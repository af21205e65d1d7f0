using static GinoDemo.Tests.HostileInput.HostileCases;
using static GinoDemo.Tests.HostileInput.HostileRequests;

namespace GinoDemo.Tests.HostileInput;

/// <summary>A user with fields the API does not take: a client-chosen id, a second name, serializer metadata, thousands of unknowns.</summary>
public sealed class ExtraFieldsTests : HostileInputTest
{
    private static IEnumerable<TestCaseData> Cases()
    {
        yield return Problem("A client-chosen id before the name is a 400", 400, Post("""{"id": 5, "name": "x"}"""));
        yield return Problem("An id naming a stored user is a 400", 400, Post("""{"name": "x", "id": 1}"""));
        yield return Problem("A null id is a 400", 400, Post("""{"name": "x", "id": null}"""));
        yield return Problem("A nickname field is a 400", 400, Post("""{"name": "x", "nickname": "admin"}"""));
        yield return Problem("A nickname instead of a name is a 400", 400, Post("""{"nickname": "x"}"""));
        yield return Problem("A capitalised field name is a 400", 400, Post("""{"NAME": "x"}"""));
        yield return Problem("A name given twice is a 400", 400, Post("""{"name": "a", "name": "b"}"""));
        yield return Problem("A prototype-pollution field is a 400", 400, Post("""{"name": "x", "__proto__": {"admin": true}}"""));
        yield return Problem("A serializer reference field is a 400", 400, Post("""{"$id": "1", "name": "x"}"""));
        yield return Problem("A serializer type field is a 400", 400, Post("""{"$type": "GinoDemo.Data.User", "name": "x"}"""));
        yield return Problem("An unknown field named by a lone surrogate is a 400", 400, Post("""{"name": "x", "\ud800": 1}"""));
        yield return Problem("An unknown field named by a NUL character is a 400", 400, Post("""{"name": "x", "\u0000": 1}"""));
        yield return Problem("Three thousand unknown fields are a 400", 400,
            Post("{\"name\": \"x\"" + string.Concat(Enumerable.Range(0, 3000).Select(i => $", \"f{i}\": 0")) + "}"));
    }
}
