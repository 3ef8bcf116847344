// How Obsidian's Dataview plugin sees the vault: each note's frontmatter read with js-yaml's
// CORE schema (as Obsidian reads properties), each text value typed with Dataview's own
// parsers (its published npm package, `obsidian-dataview`: a date, else a duration, else a
// link, else text, the order its frontmatter import uses), and each query parsed with
// Dataview's query grammar. The WHERE and GROUP BY steps are then run over the typed notes
// by the small evaluator below, which covers the operators the dashboard uses.
//
// Input on stdin: {"now": ISO instant, "notes": {path: frontmatter text}, "queries": [text]}.
// Output on stdout: {"types": {path: {key: type}}, "queries": [{error, fields, rows, groups}]}.
// Run it with TZ set to the vault's zone: date(today) and bare dates are local to it.

"use strict";

const Module = require("module");
const resolveFilename = Module._resolveFilename;
// The package imports `obsidian` for types only; outside the app there is no such module.
Module._resolveFilename = function (request, ...rest) {
    if (request === "obsidian") return require.resolve("./dataview_obsidian_stub.js");
    return resolveFilename.call(this, request, ...rest);
};

const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const fixedNow = Date.parse(input.now);
Date.now = () => fixedNow; // luxon's clock, so date(today) is the test's today

const yaml = require("js-yaml");
const dv = require("obsidian-dataview");

function typed(value) {
    if (value === null || value === undefined) return null;
    if (Array.isArray(value)) return value.map(typed);
    if (typeof value === "string") {
        for (const parser of [dv.EXPRESSION.date, dv.EXPRESSION.duration, dv.EXPRESSION.embedLink]) {
            const parsed = parser.parse(value);
            if (parsed.status) return parsed.value;
        }
    }
    return value;
}

function typeOf(value) {
    if (value === null) return "null";
    if (Array.isArray(value)) return "array";
    if (value && typeof value.toMillis === "function") return "date";
    if (value && typeof value.as === "function" && typeof value.toMillis !== "function")
        return "duration";
    if (value && typeof value.path === "string") return "link";
    return typeof value;
}

function truthy(value) {
    switch (typeOf(value)) {
        case "null":
            return false;
        case "array":
        case "string":
            return value.length > 0;
        case "number":
            return value !== 0;
        case "link":
            return !!value.path;
        default:
            return !!value;
    }
}

function compare(a, b) {
    const [ta, tb] = [typeOf(a), typeOf(b)];
    if (ta === "null" && tb === "null") return 0;
    if (ta === "null") return -1;
    if (tb === "null") return 1;
    if (ta !== tb) return ta < tb ? -1 : 1;
    if (ta === "date") return a.toMillis() - b.toMillis();
    if (ta === "duration") return a.as("milliseconds") - b.as("milliseconds");
    if (ta === "link") return compare(a.path, b.path);
    if (ta === "array") {
        for (let i = 0; i < Math.min(a.length, b.length); i++) {
            const c = compare(a[i], b[i]);
            if (c) return c;
        }
        return a.length - b.length;
    }
    return a < b ? -1 : a > b ? 1 : 0;
}

const functions = {
    list: (...items) => items,
    contains: (haystack, needle) =>
        Array.isArray(haystack)
            ? haystack.some(item => compare(item, needle) === 0)
            : typeof haystack === "string" && typeof needle === "string" && haystack.includes(needle),
};

function evaluate(node, row) {
    switch (node.type) {
        case "literal":
            return node.value;
        case "variable":
            return node.name in row ? row[node.name] : null;
        case "negated":
            return !truthy(evaluate(node.child, row));
        case "function": {
            const fn = functions[node.func.name];
            if (!fn) throw new Error(`the check's evaluator has no ${node.func.name}()`);
            return fn(...node.arguments.map(arg => evaluate(arg, row)));
        }
        case "binaryop": {
            const left = evaluate(node.left, row);
            if (node.op === "&") return truthy(left) && truthy(evaluate(node.right, row));
            if (node.op === "|") return truthy(left) || truthy(evaluate(node.right, row));
            const right = evaluate(node.right, row);
            switch (node.op) {
                case "+":
                    return typeOf(left) === "date" ? left.plus(right) : left + right;
                case "-":
                    return typeOf(left) === "date" ? left.minus(right) : left - right;
                case "=":
                    return compare(left, right) === 0;
                case "!=":
                    return compare(left, right) !== 0;
                case "<":
                    return compare(left, right) < 0;
                case "<=":
                    return compare(left, right) <= 0;
                case ">":
                    return compare(left, right) > 0;
                case ">=":
                    return compare(left, right) >= 0;
            }
        }
    }
    throw new Error(`the check's evaluator cannot run ${node.type} ${node.op || ""}`);
}

function fieldsIn(node, found) {
    if (!node || typeof node !== "object") return found;
    if (node.type === "variable") found.add(node.name);
    for (const value of Object.values(node)) {
        if (value && typeof value === "object") fieldsIn(value, found);
    }
    return found;
}

function shown(value) {
    if (typeOf(value) === "link") return `[[${value.path}${value.display ? "|" + value.display : ""}]]`;
    if (typeOf(value) === "date") return value.toISO();
    return value === null ? null : String(value);
}

const pages = {};
const types = {};
for (const [path, text] of Object.entries(input.notes)) {
    const front = yaml.load(text, { schema: yaml.CORE_SCHEMA }) || {};
    pages[path] = {};
    types[path] = {};
    for (const [key, value] of Object.entries(front)) {
        pages[path][key] = typed(value);
        types[path][key] = typeOf(pages[path][key]);
    }
}

const queries = input.queries.map(text => {
    const parsed = dv.QUERY_LANGUAGE.query.parse(text);
    if (!parsed.status) return { error: `at ${JSON.stringify(parsed.index)}: ${parsed.expected}` };
    const query = parsed.value;
    const folder = query.source.type === "folder" ? query.source.folder + "/" : "";
    let rows = Object.keys(pages).filter(path => path.startsWith(folder));
    let groups = null;
    for (const step of query.operations) {
        if (step.type === "where") rows = rows.filter(path => truthy(evaluate(step.clause, pages[path])));
        if (step.type === "group") {
            groups = {};
            for (const path of rows) {
                const key = shown(evaluate(step.field.field, pages[path]));
                (groups[key] = groups[key] || []).push(path);
            }
        }
    }
    return { error: null, fields: [...fieldsIn(query, new Set())].sort(), rows, groups };
});

process.stdout.write(JSON.stringify({ types, queries }));
