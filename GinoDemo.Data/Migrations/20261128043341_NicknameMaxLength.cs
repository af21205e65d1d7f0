using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GinoDemo.Data.Migrations
{
    /// <inheritdoc />
    public partial class NicknameMaxLength : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // NOT VALID: enforced for every new or changed row, while rows stored before the limit existed stay
            // as they are (nothing stored is lost) and the table is not scanned under an exclusive lock.
            migrationBuilder.Sql("ALTER TABLE users ADD CONSTRAINT ck_users_nickname_length CHECK (char_length(nickname) <= 256) NOT VALID;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_users_nickname_length",
                table: "users");
        }
    }
}
