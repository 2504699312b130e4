#pragma once

// The generator's only source of chance, so a seed gives the same store everywhere.

#include <QUuid>

#include <cstring>
#include <random>
#include <string>

namespace chronoscope::sample::detail {

/// mt19937_64 with the few draws the story needs; its output is the same on every platform.
class Rng {
public:
    explicit Rng(quint64 seed)
        : m_engine(seed)
    {
    }
    quint64 next() { return m_engine(); }
    qint64 below(qint64 n) { return qint64(m_engine() % quint64(n)); }
    qint64 between(qint64 lo, qint64 hi) { return lo + below(hi - lo + 1); }
    double unit() { return double(m_engine() >> 11) * (1.0 / 9007199254740992.0); }
    bool chance(double p) { return unit() < p; }
    template<typename T, std::size_t N> const T& pick(const T (&items)[N]) { return items[below(qint64(N))]; }

    /// A version-4 UUID made of random bits.
    QUuid uuid()
    {
        const quint64 a = next();
        const quint64 b = next();
        return QUuid(uint(a >> 32), ushort(a >> 16), ushort((a & 0x0fff) | 0x4000),
            uchar(((b >> 56) & 0x3f) | 0x80), uchar(b >> 48), uchar(b >> 40), uchar(b >> 32), uchar(b >> 24),
            uchar(b >> 16), uchar(b >> 8), uchar(b));
    }
    std::string code(int length, const char* alphabet)
    {
        const auto size = qint64(std::strlen(alphabet));
        std::string out;
        for (int i = 0; i < length; ++i)
            out += alphabet[below(size)];
        return out;
    }

private:
    std::mt19937_64 m_engine;
};

} // namespace chronoscope::sample::detail
