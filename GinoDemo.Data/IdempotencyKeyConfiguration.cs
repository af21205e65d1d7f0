using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GinoDemo.Data;

internal sealed class IdempotencyKeyConfiguration : IEntityTypeConfiguration<IdempotencyKey>
{
    public void Configure(EntityTypeBuilder<IdempotencyKey> builder)
    {
        builder.ToTable("idempotency_keys");

        // The primary key's unique index is what serialises two requests with the same key, across replicas.
        builder.HasKey(key => key.Key);
        builder.Property(key => key.Key).HasColumnName("key").HasMaxLength(IdempotencyKey.MaxKeyLength);
        builder.Property(key => key.RequestHash).HasColumnName("request_hash");
        builder.Property(key => key.CreatedAt).HasColumnName("created_at").HasDefaultValueSql("now()");
        builder.Property(key => key.Status).HasColumnName("status");
        builder.Property(key => key.Location).HasColumnName("location");
        builder.Property(key => key.ETag).HasColumnName("etag");
        builder.Property(key => key.Body).HasColumnName("body");

        // The cleanup deletes by age.
        builder.HasIndex(key => key.CreatedAt).HasDatabaseName("ix_idempotency_keys_created_at");
    }
}
