#include "formats/isotimestamp.h"

namespace chronoscope::isotimestamp {

namespace {
constexpr std::int64_t MsPerDay = 86400000;

std::int64_t daysFromCivil(std::int64_t y, int m, int d)
{
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const std::int64_t yoe = y - era * 400;
    const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void civilFromDays(std::int64_t z, std::int64_t& y, int& m, int& d)
{
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    d = int(doy - (153 * mp + 2) / 5 + 1);
    m = int(mp < 10 ? mp + 3 : mp - 9);
    y = yoe + era * 400 + (m <= 2);
}

bool isLeapYear(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

void putDigits(char* out, std::int64_t value, int width)
{
    for (int i = width - 1; i >= 0; --i) {
        out[i] = char('0' + value % 10);
        value /= 10;
    }
}
} // namespace

std::optional<std::int64_t> parseCanonicalTimestamp(std::string_view t)
{
    if ((t.size() != 24 && t.size() != 20) || t.back() != 'Z')
        return std::nullopt;
    if (t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' || t[16] != ':')
        return std::nullopt;
    auto num = [&](std::size_t at, std::size_t n) {
        int v = 0;
        for (std::size_t i = at; i < at + n; ++i) {
            if (t[i] < '0' || t[i] > '9')
                return -1;
            v = v * 10 + (t[i] - '0');
        }
        return v;
    };
    const int y = num(0, 4), mo = num(5, 2), d = num(8, 2), h = num(11, 2), mi = num(14, 2), s = num(17, 2);
    int ms = 0;
    if (t.size() == 24) {
        if (t[19] != '.')
            return std::nullopt;
        ms = num(20, 3);
    }
    static constexpr int monthDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > monthDays[mo - 1] || h < 0 || h > 23 || mi < 0 || mi > 59
        || s < 0 || s > 59 || ms < 0)
        return std::nullopt;
    if (mo == 2 && d == 29 && !isLeapYear(y))
        return std::nullopt;
    return daysFromCivil(y, mo, d) * MsPerDay + h * 3600000LL + mi * 60000LL + s * 1000LL + ms;
}

bool formatCanonicalTimestamp(std::int64_t ms, char* out)
{
    const std::int64_t days = (ms >= 0 ? ms : ms - (MsPerDay - 1)) / MsPerDay;
    std::int64_t rest = ms - days * MsPerDay;
    std::int64_t y = 0;
    int m = 0;
    int d = 0;
    civilFromDays(days, y, m, d);
    if (y < 0 || y > 9999)
        return false;
    putDigits(out, y, 4);
    out[4] = '-';
    putDigits(out + 5, m, 2);
    out[7] = '-';
    putDigits(out + 8, d, 2);
    out[10] = 'T';
    putDigits(out + 11, rest / 3600000, 2);
    rest %= 3600000;
    out[13] = ':';
    putDigits(out + 14, rest / 60000, 2);
    rest %= 60000;
    out[16] = ':';
    putDigits(out + 17, rest / 1000, 2);
    out[19] = '.';
    putDigits(out + 20, rest % 1000, 3);
    out[23] = 'Z';
    return true;
}

} // namespace chronoscope::isotimestamp
