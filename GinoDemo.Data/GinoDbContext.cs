using Microsoft.EntityFrameworkCore;

namespace GinoDemo.Data;

public class GinoDbContext(DbContextOptions<GinoDbContext> options) : DbContext(options)
{
    public DbSet<User> Users => Set<User>();

    public DbSet<IdempotencyKey> IdempotencyKeys => Set<IdempotencyKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(GinoDbContext).Assembly);
}
