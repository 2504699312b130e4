#include "json/jsonmemory.h"

#include <string>

namespace chronoscope {

namespace {

// Per-allocation overhead of glibc's malloc (header + rounding to 16 bytes), approximately.
constexpr std::size_t kMallocOverhead = 16;
// std::map (red-black tree) node header: colour, parent, left, right.
constexpr std::size_t kMapNodeHeader = 32;

std::size_t stringHeap(const std::string& s)
{
    // libstdc++ keeps up to 15 characters inside the std::string object.
    return s.capacity() > 15 ? s.capacity() + 1 + kMallocOverhead : 0;
}

std::size_t ownedBytes(const nlohmann::json& value)
{
    using json = nlohmann::json;
    switch (value.type()) {
    case json::value_t::object: {
        const auto& object = value.get_ref<const json::object_t&>();
        std::size_t bytes = sizeof(json::object_t) + kMallocOverhead;
        for (const auto& [key, child] : object)
            bytes += kMapNodeHeader + sizeof(std::string) + sizeof(json) + kMallocOverhead + stringHeap(key)
                + ownedBytes(child);
        return bytes;
    }
    case json::value_t::array: {
        const auto& array = value.get_ref<const json::array_t&>();
        std::size_t bytes = sizeof(json::array_t) + kMallocOverhead;
        if (array.capacity() > 0)
            bytes += array.capacity() * sizeof(json) + kMallocOverhead;
        for (const auto& child : array)
            bytes += ownedBytes(child);
        return bytes;
    }
    case json::value_t::string:
        return sizeof(std::string) + kMallocOverhead + stringHeap(value.get_ref<const std::string&>());
    case json::value_t::binary:
        return sizeof(json::binary_t) + kMallocOverhead + value.get_binary().capacity();
    default:
        return 0; // numbers, booleans and null live inside the json value itself
    }
}

} // namespace

std::size_t jsonMemoryBytes(const nlohmann::json& value)
{
    return sizeof(nlohmann::json) + ownedBytes(value);
}

} // namespace chronoscope
