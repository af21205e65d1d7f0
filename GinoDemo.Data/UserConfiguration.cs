using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GinoDemo.Data;

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> builder)
    {
        builder.ToTable("users");
        builder.HasKey(user => user.Id);

        // ALWAYS: the database, never a client, chooses the id.
        builder.Property(user => user.Id).HasColumnName("id").UseIdentityAlwaysColumn();

        // The database default serves rows inserted without EF too.
        builder.Property(user => user.Nickname).HasColumnName("nickname").HasDefaultValue(User.DefaultNickname);
    }
}
