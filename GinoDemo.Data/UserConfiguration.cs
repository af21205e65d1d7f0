using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GinoDemo.Data;

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> builder)
    {
        // The limit the API validates, kept by the table too for rows written by anything else.
        builder.ToTable("users", table => table.HasCheckConstraint(
            "ck_users_nickname_length", $"char_length(nickname) <= {User.MaxNicknameLength}"));
        builder.HasKey(user => user.Id);

        // ALWAYS: the database, never a client, chooses the id.
        builder.Property(user => user.Id).HasColumnName("id").UseIdentityAlwaysColumn();

        // The database default serves rows inserted without EF too.
        builder.Property(user => user.Nickname).HasColumnName("nickname").HasDefaultValue(User.DefaultNickname);

        // A uint row version is Npgsql's mapping of the system column xmin: nothing is added to the table.
        builder.Property(user => user.Version).IsRowVersion();
    }
}
