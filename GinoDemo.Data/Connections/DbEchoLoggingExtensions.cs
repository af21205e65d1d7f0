using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace GinoDemo.Data.Connections;

public static class DbEchoLoggingExtensions
{
    /// <summary>
    /// <c>DB_ECHO</c>: EF Core logs every statement at Information (<see cref="UsersDbContextOptionsBuilderExtensions"/>);
    /// its category (<c>Microsoft.EntityFrameworkCore.Database.Command</c>) shows Information only while
    /// <paramref name="echo"/> says so, and warnings and errors always. <paramref name="echo"/> is asked when the first
    /// logger of that category is made, so it may read configuration that is complete only then.
    /// </summary>
    public static ILoggingBuilder AddDbEchoFilter(this ILoggingBuilder logging, Func<bool> echo) =>
        logging.AddFilter(DbLoggerCategory.Database.Command.Name, level => level >= LogLevel.Warning || (level >= LogLevel.Information && echo()));
}
