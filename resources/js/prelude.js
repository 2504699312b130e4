// Evaluated by JsCaller (core/js/jscall.cpp) in every engine before a user's script runs.
// A function of (global, limitBytes). It keeps the built-ins the harnesses need as they are
// before the user's script can replace them, puts a size check in front of the built-ins that
// can make a string or array of gigabytes in one native call (which no interrupt stops), and
// returns {stringify, parse, limit, describe}: describe(value, isError) turns whatever a script
// threw into {text, line, file}. None of it is reachable from the user's script.
(function (g, limitBytes) {
    'use strict';
    var uncurry = Function.prototype.bind.bind(Function.prototype.call);
    var apply = uncurry(Function.prototype.apply);
    var defineProperty = Object.defineProperty, isArray = Array.isArray, trunc = Math.trunc;
    var max = Math.max, min = Math.min, ceil = Math.ceil, floor = Math.floor;
    var StringOf = String, ObjectOf = Object, Range = RangeError;
    var stringify = JSON.stringify, parse = JSON.parse;
    var errorText = uncurry(Error.prototype.toString);
    var objectText = uncurry(Object.prototype.toString);
    var symbolText = uncurry(Symbol.prototype.toString);
    var slice = uncurry(String.prototype.slice);
    var limit = { bytes: limitBytes };
    var MiB = 1024 * 1024;

    // Bytes a built-in's result takes, about: 2 a character, 16 an array element.
    function check(bytes, what) {
        if (limit.bytes > 0 && bytes > limit.bytes)
            throw new Range(what + ' would need about ' + ceil(bytes / MiB) + ' MiB, more than the memory limit ' +
                            'for scripts (' + floor(limit.bytes / MiB) + ' MiB)');
    }
    function count(x) { var n = trunc(+x); return n === n ? n : 0; }
    function lengthOf(o) { var n = count(o.length); return n > 0 ? n : 0; }
    function relative(x, otherwise, n) {
        if (x === undefined)
            return otherwise;
        var k = count(x);
        return k < 0 ? max(n + k, 0) : min(k, n);
    }
    function replace(object, name, wrap) {
        var original = object[name];
        if (typeof original === 'function')
            defineProperty(object, name, { value: wrap(original), writable: true, enumerable: false,
                                           configurable: true });
    }

    replace(String.prototype, 'repeat', function (original) {
        return function repeat(times) {
            if (this === null || this === undefined)
                return apply(original, this, [times]);
            var s = StringOf(this), n = +times;
            check(s.length * n * 2, 'repeat(' + n + ') of a string of ' + s.length + ' characters');
            return apply(original, s, [n]);
        };
    });
    ['padStart', 'padEnd'].forEach(function (name) {
        replace(String.prototype, name, function (original) {
            return function (targetLength, padString) {
                if (this === null || this === undefined)
                    return apply(original, this, [targetLength, padString]);
                var s = StringOf(this), n = +targetLength;
                var pad = padString === undefined ? undefined : StringOf(padString);
                if (pad !== '')
                    check(n * 2, name + '(' + n + ')');
                return apply(original, s, [n, pad]);
            };
        });
    });
    replace(String.prototype, 'split', function (original) {
        return function split(separator, most) {
            if (separator === '' && this !== null && this !== undefined) {
                var s = StringOf(this);
                var n = most === undefined ? s.length : min(s.length, count(most));
                check(n * 100, "split('') of a string of " + s.length + ' characters');
                return apply(original, s, ['', most]);
            }
            return apply(original, this, [separator, most]);
        };
    });
    replace(Array.prototype, 'join', function (original) {
        return function join(separator) {
            if (this === null || this === undefined)
                return apply(original, this, [separator]);
            var o = ObjectOf(this), sep = separator === undefined ? ',' : StringOf(separator);
            var n = lengthOf(o), chars = n > 1 ? (n - 1) * sep.length : 0;
            for (var i = 0; i < n && chars * 2 <= limit.bytes; ++i) {
                var x = o[i];
                if (typeof x === 'string')
                    chars += x.length;
                else if (typeof x === 'number')
                    chars += 8;
            }
            check(chars * 2, 'join() of ' + n + ' elements');
            return apply(original, o, [sep]);
        };
    });
    replace(Array.prototype, 'fill', function (original) {
        return function fill(value, start, end) {
            if (this === null || this === undefined)
                return apply(original, this, [value, start, end]);
            var o = ObjectOf(this), n = lengthOf(o);
            var from = relative(start, 0, n), to = relative(end, n, n);
            check((to - from) * 16, 'fill() of ' + (to - from) + ' elements');
            return apply(original, o, [value, from, to]);
        };
    });
    replace(Array.prototype, 'concat', function (original) {
        return function concat() {
            var n = isArray(this) ? this.length : 1;
            for (var i = 0; i < arguments.length; ++i)
                n += isArray(arguments[i]) ? arguments[i].length : 1;
            check(n * 16, 'concat() into ' + n + ' elements');
            return apply(original, this, arguments);
        };
    });
    replace(Array, 'from', function (original) {
        return function from(items) {
            if (items !== null && items !== undefined && typeof items !== 'string') {
                var n = lengthOf(ObjectOf(items));
                check(n * 16, 'Array.from() of ' + n + ' elements');
            }
            return apply(original, this, arguments);
        };
    });
    // ArrayBuffer and the typed arrays are left alone: a Proxy around them breaks instanceof in
    // this engine. What they allocate is seen by the watchdog's memory check after the call.

    function shorten(text) { return text.length > 200 ? slice(text, 0, 200) + '...' : text; }
    function describe(value, isError) {
        if (isError) {
            var out = { text: 'an Error', line: 0, file: '' };
            try {
                out.text = errorText(value);
                out.line = typeof value.lineNumber === 'number' ? value.lineNumber : 0;
                out.file = typeof value.fileName === 'string' ? value.fileName : '';
            } catch (e) {
            }
            out.text = shorten(out.text);
            return out;
        }
        var type = value === null ? 'null' : typeof value, shown, kind = '';
        if (type === 'null' || type === 'undefined') {
            shown = type;
        } else if (type === 'string') {
            shown = stringify(value);
            kind = 'a string';
        } else if (type === 'symbol') {
            shown = symbolText(value);
            kind = 'a symbol';
        } else if (type === 'function') {
            shown = 'a function';
        } else if (type === 'object') {
            try {
                shown = stringify(value);
            } catch (e) {
            }
            if (typeof shown !== 'string')
                shown = objectText(value);
            kind = isArray(value) ? 'an array' : 'an object';
        } else {
            shown = StringOf(value);
            kind = 'a ' + type;
        }
        return { text: 'threw ' + shorten(shown) + ' (' + (kind ? kind + ', ' : '') + 'not an Error)', line: 0,
                 file: '' };
    }
    return { stringify: stringify, parse: parse, limit: limit, describe: describe };
})
