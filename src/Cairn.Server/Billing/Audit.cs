using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cairn.Domain;
using Cairn.Server.Data;

namespace Cairn.Server.Billing;

/// <summary>Appends audit entries to the unit of work, so they commit or roll back with the change they describe.</summary>
public static class Audit
{
    // Values read as the API shows them: camelCase names, enums as snake_case words rather than numbers.
    private static readonly JsonSerializerOptions Values = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    private static readonly Lock Gate = new();
    private static long _lastMilliseconds;
    private static int _counter;

    /// <summary>Records a change of state of an entity, with the values before and after.</summary>
    public static void Record(CairnDb db, Guid organizationId, string entityType, Guid entityId, string action, Actor actor, DateTimeOffset at, object? before = null, object? after = null) =>
        db.AuditLog.Add(new AuditEntry(
            NextId(),
            organizationId,
            entityType,
            entityId,
            action,
            actor.ToString(),
            at,
            before is null ? null : JsonSerializer.Serialize(before, Values),
            after is null ? null : JsonSerializer.Serialize(after, Values)));

    /// <summary>
    /// A UUIDv7 whose 12 bits after the version count up within a millisecond (RFC 9562 §6.2, method 1),
    /// so entries written one after another in the same request sort in the order they were written.
    /// </summary>
    internal static Guid NextId()
    {
        long milliseconds;
        int counter;
        lock (Gate)
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            if (now > _lastMilliseconds)
            {
                _lastMilliseconds = now;
                _counter = 0;
            }
            else if (++_counter > 0xFFF)
            {
                _lastMilliseconds++;
                _counter = 0;
            }

            (milliseconds, counter) = (_lastMilliseconds, _counter);
        }

        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes[8..]);
        for (var i = 0; i < 6; i++)
            bytes[i] = (byte)(milliseconds >> (8 * (5 - i)));
        bytes[6] = (byte)(0x70 | (counter >> 8));
        bytes[7] = (byte)counter;
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true);
    }
}
