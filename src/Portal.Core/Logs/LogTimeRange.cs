using System.Globalization;

namespace Portal.Core.Logs;

/// <summary>
/// Kibana's time picker values: an absolute ISO 8601 time (<c>2026-11-01</c>, <c>2026-11-01T10:00:00Z</c>,
/// <c>2026-11-01T12:00:00+02:00</c>; no offset means UTC) or Elasticsearch date math on <c>now</c> or on an absolute
/// anchor followed by <c>||</c>: any sequence of <c>+N unit</c>, <c>-N unit</c> and <c>/unit</c> (round), with units
/// <c>s m h d w M y</c> (<c>H</c> is also hours; a missing N is 1). Arithmetic and rounding are in UTC; weeks start on
/// Monday. As Elasticsearch does for the upper end of a range, <c>roundUp</c> rounds to the last instant of the unit
/// (one tick before the next) instead of its start, and a date without a time to the end of that day.
/// </summary>
public static class LogTimeRange
{
    private static readonly string[] AbsoluteFormats = BuildAbsoluteFormats();

    /// <summary>Kibana's "Commonly used" ranges, as the from and to texts <see cref="TryParse"/> reads.</summary>
    public static IReadOnlyList<(string Label, string From, string To)> QuickRanges { get; } =
    [
        ("Last 15 minutes", "now-15m", "now"),
        ("Last 30 minutes", "now-30m", "now"),
        ("Last 1 hour", "now-1h", "now"),
        ("Last 4 hours", "now-4h", "now"),
        ("Last 12 hours", "now-12h", "now"),
        ("Last 24 hours", "now-24h", "now"),
        ("Last 7 days", "now-7d", "now"),
        ("Last 30 days", "now-30d", "now"),
        ("Today", "now/d", "now/d"),
        ("Yesterday", "now-1d/d", "now-1d/d"),
    ];

    /// <summary>
    /// Reads <paramref name="text"/> relative to <paramref name="now"/>; <paramref name="roundUp"/> for the end (to) of
    /// a range. The value is in UTC. On failure <paramref name="error"/> says what is wrong, fit for the user.
    /// </summary>
    public static bool TryParse(string? text, DateTimeOffset now, bool roundUp, out DateTimeOffset value, out string? error)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "Enter a time: an ISO 8601 date such as 2026-11-01T10:00:00Z, or date math such as now-15m.";
            return false;
        }

        var trimmed = text.Trim();
        DateTimeOffset anchor;
        string math;
        var bars = trimmed.IndexOf("||", StringComparison.Ordinal);
        if (trimmed.StartsWith("now", StringComparison.OrdinalIgnoreCase))
        {
            anchor = now.ToUniversalTime();
            math = trimmed[3..];
        }
        else
        {
            var absolute = bars >= 0 ? trimmed[..bars] : trimmed;
            math = bars >= 0 ? trimmed[(bars + 2)..] : "";
            if (!TryParseAbsolute(absolute, roundUp && math.Length == 0, out anchor))
            {
                error = $"'{trimmed}' is neither an ISO 8601 time (2026-11-01, 2026-11-01T10:00:00Z) nor date math (now-15m, now/d).";
                return false;
            }
        }

        error = ApplyMath(trimmed, math, roundUp, ref anchor);
        value = error is null ? anchor : default;
        return error is null;
    }

    private static string? ApplyMath(string text, string math, bool roundUp, ref DateTimeOffset value)
    {
        var i = 0;
        while (i < math.Length)
        {
            var op = math[i++];
            if (op is not ('+' or '-' or '/'))
            {
                return $"'{text}': expected '+', '-' or '/' at '{math[(i - 1)..]}'.";
            }

            var digits = i;
            while (i < math.Length && char.IsAsciiDigit(math[i]))
            {
                i++;
            }

            if (op == '/' && i > digits)
            {
                return $"'{text}': rounding takes a unit only, as in now/d.";
            }

            if (i - digits > 9)
            {
                return $"'{text}': the number {math[digits..i]} is too large.";
            }

            var amount = i > digits ? int.Parse(math.AsSpan(digits, i - digits), CultureInfo.InvariantCulture) : 1;
            if (i >= math.Length || !IsUnit(math[i]))
            {
                var found = i < math.Length ? $"'{math[i]}'" : "nothing";
                return $"'{text}': expected a unit (s, m, h, d, w, M or y) after '{math[..i]}', found {found}.";
            }

            var unit = math[i++];
            try
            {
                value = op == '/' ? Round(value, unit, roundUp) : Add(value, unit, op == '-' ? -amount : amount);
            }
            catch (ArgumentOutOfRangeException)
            {
                return $"'{text}' is outside the years 0001 to 9999.";
            }
        }

        return null;
    }

    private static bool IsUnit(char c) => "smhHdwMy".Contains(c, StringComparison.Ordinal);

    private static DateTimeOffset Add(DateTimeOffset value, char unit, int amount) => unit switch
    {
        's' => value.AddSeconds(amount),
        'm' => value.AddMinutes(amount),
        'h' or 'H' => value.AddHours(amount),
        'd' => value.AddDays(amount),
        'w' => value.AddDays(7.0 * amount),
        'M' => value.AddMonths(amount),
        _ => value.AddYears(amount),
    };

    private static DateTimeOffset Round(DateTimeOffset value, char unit, bool roundUp)
    {
        var t = value.UtcDateTime;
        var start = unit switch
        {
            's' => new DateTime(t.Year, t.Month, t.Day, t.Hour, t.Minute, t.Second, DateTimeKind.Utc),
            'm' => new DateTime(t.Year, t.Month, t.Day, t.Hour, t.Minute, 0, DateTimeKind.Utc),
            'h' or 'H' => new DateTime(t.Year, t.Month, t.Day, t.Hour, 0, 0, DateTimeKind.Utc),
            'd' => t.Date,
            'w' => t.Date.AddDays(-(((int)t.DayOfWeek + 6) % 7)),
            'M' => new DateTime(t.Year, t.Month, 1, 0, 0, 0, DateTimeKind.Utc),
            _ => new DateTime(t.Year, 1, 1, 0, 0, 0, DateTimeKind.Utc),
        };
        var rounded = new DateTimeOffset(start, TimeSpan.Zero);
        return roundUp ? Add(rounded, unit, 1).AddTicks(-1) : rounded;
    }

    private static bool TryParseAbsolute(string text, bool roundUp, out DateTimeOffset value)
    {
        if (!DateTimeOffset.TryParseExact(
                text,
                AbsoluteFormats,
                CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
                out value))
        {
            return false;
        }

        if (roundUp && text.Length == "yyyy-MM-dd".Length)
        {
            value = value.UtcDateTime.Date == DateTime.MaxValue.Date ? DateTimeOffset.MaxValue : value.AddDays(1).AddTicks(-1);
        }

        return true;
    }

    private static string[] BuildAbsoluteFormats()
    {
        var formats = new List<string> { "yyyy-MM-dd" };
        foreach (var separator in new[] { "'T'", " " })
        {
            foreach (var time in new[] { "HH:mm", "HH:mm:ss", "HH:mm:ss.FFFFFFF" })
            {
                formats.Add($"yyyy-MM-dd{separator}{time}");
                formats.Add($"yyyy-MM-dd{separator}{time}K");
            }
        }

        return [.. formats];
    }
}
