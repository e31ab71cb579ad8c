/// Compiled expression nodes. The parser builds a tree of these final classes once per
/// template; rendering just calls `eval` down the tree (one virtual call per node, no
/// protocol existentials, constants pre-folded).
class Expr {
    let line: Int
    init(line: Int) { self.line = line }

    func eval(_ c: RenderContext) throws -> Value {
        throw JinjaError(.runtime, "internal error: expression node without evaluator")
    }

    /// The value when known at compile time.
    var constant: Value? { nil }
}

final class ConstExpr: Expr {
    let value: Value
    init(_ value: Value, line: Int) {
        self.value = value
        super.init(line: line)
    }
    override func eval(_ c: RenderContext) throws -> Value { value }
    override var constant: Value? { value }
}

/// A string literal holding a template, in a conditional expression or in a lookup's
/// arguments: ansible-core 2.19 renders it where the expression uses it (its "Jinja constant
/// template"); anywhere else such a literal stays plain text.
final class ConstTemplateExpr: Expr {
    let text: String
    init(_ text: String, line: Int) {
        self.text = text
        super.init(line: line)
    }
    override func eval(_ c: RenderContext) throws -> Value {
        // An undefined value stays a (lazy) undefined, as ansible-core's marker: a lookup that
        // accepts markers gets it, anything else fails when it uses it.
        do {
            return try c.environment.template(text).renderNative(c.callContext.variables)
        } catch let error as JinjaError where error.kind == .undefined {
            return .undefined(Undefined(error.message))
        }
    }
}

final class NameExpr: Expr {
    let name: String
    init(_ name: String, line: Int) {
        self.name = name
        super.init(line: line)
    }
    override func eval(_ c: RenderContext) throws -> Value { try c.resolve(name) }
}

/// `obj.name`
final class GetAttrExpr: Expr {
    let object: Expr
    let name: String
    /// Whether `name` is a Python method of dict / of str, list (decided once here).
    let isDictMethod: Bool
    let isOtherMethod: Bool
    let isMutatingMethod: Bool
    init(_ object: Expr, _ name: String, line: Int) {
        self.object = object
        self.name = name
        isMutatingMethod = PythonMethods.mutatingListMethods.contains(name) || PythonMethods.mutatingDictMethods.contains(name)
        isDictMethod = PythonMethods.dictMethods.contains(name)
        isOtherMethod = PythonMethods.stringMethods.contains(name) || PythonMethods.listMethods.contains(name)
        super.init(line: line)
    }
    override func eval(_ c: RenderContext) throws -> Value {
        let target = try object.eval(c)
        if case .dict(let d) = target, !isDictMethod {
            if let v = d[name] { return v }
            return Access.missing(target, name: name)
        }
        if !isDictMethod && !isOtherMethod, case .object(let o) = target {
            if let v = o.attribute(name) { return v }
            return Access.missing(target, name: name)
        }
        return Access.attribute(target, name)
    }
}

/// `ns.attr` as an assignment target (`{% set ns.a, b = 1, 2 %}`); only ever assigned.
final class NamespaceRefExpr: Expr {
    let namespace: Expr
    let name: String
    init(_ namespace: Expr, _ name: String, line: Int) {
        self.namespace = namespace
        self.name = name
        super.init(line: line)
    }
}

/// `obj[key]` (and `obj.0`)
final class GetItemExpr: Expr {
    let object: Expr
    let key: Expr
    init(_ object: Expr, _ key: Expr, line: Int) {
        self.object = object
        self.key = key
        super.init(line: line)
    }
    override func eval(_ c: RenderContext) throws -> Value {
        let target = try object.eval(c)
        if case .undefined = target { return target }
        let index = try PythonOperators.defined(key.eval(c))
        let value = try Access.item(target, index)
        // ansible-core hands variables' lists and dicts to Jinja as lazy containers, whose
        // missing non-negative index reads "<lazy type> object has no element N" (a literal's
        // reads "object of type 'list' has no attribute N").
        if c.environment.lazyVariableContainers, case .undefined = value, case .int(let n) = index, n >= 0,
           GetItemExpr.isVariableReference(object) {
            switch target {
            case .list: return .undefined(Undefined("ansible._internal._templating._lazy_containers._AnsibleLazyTemplateList object has no element \(n)"))
            case .dict: return .undefined(Undefined("ansible._internal._templating._lazy_containers._AnsibleLazyTemplateDict object has no element \(n)"))
            default: break
            }
        }
        return value
    }

    /// A variable, or an attribute or item reached from one.
    static func isVariableReference(_ expr: Expr) -> Bool {
        switch expr {
        case is NameExpr: return true
        case let attribute as GetAttrExpr: return isVariableReference(attribute.object)
        case let item as GetItemExpr: return isVariableReference(item.object)
        default: return false
        }
    }
}

/// `obj[start:stop:step]`
final class SliceExpr: Expr {
    let object: Expr
    let start: Expr?, stop: Expr?, step: Expr?
    init(_ object: Expr, start: Expr?, stop: Expr?, step: Expr?, line: Int) {
        self.object = object
        self.start = start
        self.stop = stop
        self.step = step
        super.init(line: line)
    }
    override func eval(_ c: RenderContext) throws -> Value {
        let target = try object.eval(c)
        if case .undefined = target { return target }
        return try Access.slice(target, start: start?.eval(c), stop: stop?.eval(c), step: step?.eval(c))
    }
}

/// Positional and keyword argument expressions of a call, filter or test.
struct ArgumentList {
    var positional: [Expr] = []
    var keywords: [(name: String, value: Expr)] = []
    /// `f(a, *items)`: a sequence spread into positional arguments after the others.
    var spreadPositional: Expr?
    /// `f(a=1, **mapping)`: a mapping spread into keyword arguments after the others.
    var spreadKeywords: Expr?
    var isEmpty: Bool { positional.isEmpty && keywords.isEmpty && spreadPositional == nil && spreadKeywords == nil }

    static let noArguments = Arguments()

    /// The evaluated arguments when every one is a compile-time constant, so calls
    /// such as `join(',')` build nothing per render.
    func constantArguments() -> Arguments? {
        guard spreadPositional == nil && spreadKeywords == nil else { return nil }
        var args = Arguments()
        for e in positional {
            guard let v = e.constant else { return nil }
            args.positional.append(v)
        }
        for (name, e) in keywords {
            guard let v = e.constant else { return nil }
            args.keywords.append((name, v))
        }
        return args
    }

    @inline(__always)
    func evaluate(_ c: RenderContext) throws -> Arguments {
        if isEmpty { return ArgumentList.noArguments }
        var args = Arguments()
        args.positional.reserveCapacity(positional.count)
        for e in positional { args.positional.append(try e.eval(c)) }
        for (name, e) in keywords { args.keywords.append((name, try e.eval(c))) }
        if let spread = spreadPositional {
            let value = try spread.eval(c)
            if case .undefined(let u) = value { throw JinjaError(.undefined, u.message) }
            guard let items = value.listValue ?? (value.dictValue.map { $0.keys.map(Value.string) })
                    ?? (value.stringValue.map { $0.map { .string(String($0)) } }) else {
                throw JinjaError(.type, "argument after * must be an iterable, not \(value.pythonTypeName)")
            }
            args.positional += items
        }
        if let spread = spreadKeywords {
            let value = try spread.eval(c)
            if case .undefined(let u) = value { throw JinjaError(.undefined, u.message) }
            guard let mapping = value.dictValue else {
                throw JinjaError(.type, "argument after ** must be a mapping, not \(value.pythonTypeName)")
            }
            for (k, v) in mapping { args.keywords.append((k, v)) }
        }
        return args
    }
}

/// `callee(args)`; `receiver.method(args)` calls Python's str/list/dict methods directly.
final class CallExpr: Expr {
    let callee: Expr
    let arguments: ArgumentList
    init(_ callee: Expr, _ arguments: ArgumentList, line: Int) {
        self.callee = callee
        self.arguments = arguments
        super.init(line: line)
    }
    override func eval(_ c: RenderContext) throws -> Value {
        if let attr = callee as? GetAttrExpr {
            let receiver = try attr.object.eval(c)
            if attr.isMutatingMethod, PythonMethods.isMutating(receiver, attr.name) {
                let (result, updated) = try PythonMethods.mutate(receiver, attr.name, arguments.evaluate(c))
                try PythonMethods.writeBack(attr.object, updated, c)
                return result
            }
            if PythonMethods.has(receiver, attr.name) {
                return try PythonMethods.call(receiver, attr.name, arguments.evaluate(c), c)
            }
            return try Invoke.call(Access.attribute(receiver, attr.name), arguments, c)
        }
        return try Invoke.call(callee.eval(c), arguments, c)
    }
}

/// `value | name(args)`; the filter function is resolved when the template compiles.
final class FilterExpr: Expr {
    let input: Expr
    let name: String
    let filter: Filter?
    let arguments: ArgumentList
    let constantArguments: Arguments?
    init(_ input: Expr, name: String, filter: Filter?, arguments: ArgumentList, line: Int) {
        self.input = input
        self.name = name
        self.filter = filter
        self.arguments = arguments
        constantArguments = arguments.constantArguments()
        super.init(line: line)
    }
    override func eval(_ c: RenderContext) throws -> Value {
        let value = try input.eval(c)
        guard let filter else { throw JinjaError(.unknownFilter, "No filter named '\(name)' found.") }
        if !filter.acceptsUndefined, case .undefined(let u) = value { throw JinjaError(.undefined, u.message) }
        let args = try constantArguments ?? arguments.evaluate(c)
        do {
            return try filter.function(value, args, c.callContext)
        } catch var error as JinjaError {
            if error.kind == .runtime { error = pluginFailure(error) }
            // The innermost filter that failed is the one named (undefined values and
            // template errors are not the filter's own failure).
            if error.failedFilter == nil && ![.undefined, .syntax, .unknownFilter, .unknownTest].contains(error.kind) {
                error.failedFilter = name
            }
            throw error
        }
    }
}

/// `value is name(args)`
final class TestExpr: Expr {
    let input: Expr
    let name: String
    let test: Test?
    let arguments: ArgumentList
    let constantArguments: Arguments?
    init(_ input: Expr, name: String, test: Test?, arguments: ArgumentList, line: Int) {
        self.input = input
        self.name = name
        self.test = test
        self.arguments = arguments
        constantArguments = arguments.constantArguments()
        super.init(line: line)
    }
    override func eval(_ c: RenderContext) throws -> Value {
        guard let test else { throw JinjaError(.unknownTest, "No test named '\(name)' found.") }
        let value = try input.eval(c)
        if !test.acceptsUndefined, case .undefined(let u) = value { throw JinjaError(.undefined, u.message) }
        let args = try constantArguments ?? arguments.evaluate(c)
        do {
            return .bool(try test.function(value, args, c.callContext))
        } catch let error as JinjaError where error.kind == .runtime {
            throw pluginFailure(error)
        }
    }
}

/// Ansible reports any exception escaping a filter or test plugin (ZeroDivisionError,
/// AttributeError …) as the plugin's failure; type, value and undefined errors keep
/// their kind since callers tell those apart.
func pluginFailure(_ error: JinjaError) -> JinjaError {
    var wrapped = error
    wrapped.kind = .filter
    return wrapped
}

final class BinaryExpr: Expr {
    let op: PythonOperators.Binary
    let lhs: Expr, rhs: Expr
    /// `"%s %s" % (a, b)`: a tuple literal spreads into the format arguments.
    let rhsIsTuple: Bool
    init(_ op: PythonOperators.Binary, _ lhs: Expr, _ rhs: Expr, rhsIsTuple: Bool = false, line: Int) {
        self.op = op
        self.lhs = lhs
        self.rhs = rhs
        self.rhsIsTuple = rhsIsTuple
        super.init(line: line)
    }
    override func eval(_ c: RenderContext) throws -> Value {
        let a = try lhs.eval(c), b = try rhs.eval(c)
        if rhsIsTuple, op == .mod, let format = a.stringValue, case .list(let items) = b {
            return .string(try PercentFormat.format(format, tuple: items))
        }
        return try PythonOperators.apply(op, a, b)
    }
}

/// `a ~ b ~ c`: string concatenation of `str()` of each operand.
final class ConcatExpr: Expr {
    let parts: [Expr]
    init(_ parts: [Expr], line: Int) {
        self.parts = parts
        super.init(line: line)
    }
    override func eval(_ c: RenderContext) throws -> Value {
        var text = ""
        for part in parts {
            let value = try part.eval(c)
            if case .undefined(let u) = value, u.isLenient { continue }
            text += try PythonOperators.defined(value).pythonString
        }
        return .string(text)
    }
}

/// `a < b <= c`, `x in y`, `a == b` — chained like Python.
final class CompareExpr: Expr {
    let first: Expr
    let rest: [(PythonOperators.Comparison, Expr)]
    init(_ first: Expr, _ rest: [(PythonOperators.Comparison, Expr)], line: Int) {
        self.first = first
        self.rest = rest
        super.init(line: line)
    }
    override func eval(_ c: RenderContext) throws -> Value {
        var left = try first.eval(c)
        for (op, expr) in rest {
            let right = try expr.eval(c)
            if !(try PythonOperators.compare(op, left, right)) { return .bool(false) }
            left = right
        }
        return .bool(true)
    }
}

@inline(__always)
func truthy(_ v: Value) throws -> Bool {
    if case .undefined(let u) = v {
        if u.isLenient { return false }
        throw JinjaError(.undefined, u.message)
    }
    return v.isTruthy
}

final class AndExpr: Expr {
    let lhs: Expr, rhs: Expr
    init(_ lhs: Expr, _ rhs: Expr, line: Int) { self.lhs = lhs; self.rhs = rhs; super.init(line: line) }
    override func eval(_ c: RenderContext) throws -> Value {
        let a = try lhs.eval(c)
        return try truthy(a) ? try rhs.eval(c) : a
    }
}

final class OrExpr: Expr {
    let lhs: Expr, rhs: Expr
    init(_ lhs: Expr, _ rhs: Expr, line: Int) { self.lhs = lhs; self.rhs = rhs; super.init(line: line) }
    override func eval(_ c: RenderContext) throws -> Value {
        let a = try lhs.eval(c)
        return try truthy(a) ? a : try rhs.eval(c)
    }
}

final class NotExpr: Expr {
    let operand: Expr
    init(_ operand: Expr, line: Int) { self.operand = operand; super.init(line: line) }
    override func eval(_ c: RenderContext) throws -> Value { .bool(!(try truthy(operand.eval(c)))) }
}

final class NegExpr: Expr {
    let operand: Expr
    let negate: Bool
    init(_ operand: Expr, negate: Bool, line: Int) { self.operand = operand; self.negate = negate; super.init(line: line) }
    override func eval(_ c: RenderContext) throws -> Value {
        negate ? try PythonOperators.negate(operand.eval(c)) : try PythonOperators.plus(operand.eval(c))
    }
}

/// `a if cond else b`; without `else` a false condition yields undefined.
final class CondExpr: Expr {
    let test: Expr, then: Expr, otherwise: Expr?
    init(test: Expr, then: Expr, otherwise: Expr?, line: Int) {
        self.test = test
        self.then = then
        self.otherwise = otherwise
        super.init(line: line)
    }
    override func eval(_ c: RenderContext) throws -> Value {
        if try truthy(test.eval(c)) { return try then.eval(c) }
        if let otherwise { return try otherwise.eval(c) }
        return .undefined(Undefined("the inline if-expression on line \(line) evaluated to false and no else section was defined."))
    }
}

/// List and tuple literals (tuples are lists in the value model).
final class ListExpr: Expr {
    let items: [Expr]
    let isTuple: Bool
    init(_ items: [Expr], isTuple: Bool, line: Int) {
        self.items = items
        self.isTuple = isTuple
        super.init(line: line)
    }
    override func eval(_ c: RenderContext) throws -> Value {
        var values: [Value] = []
        values.reserveCapacity(items.count)
        for item in items { values.append(try item.eval(c)) }
        return .list(values)
    }
}

final class DictExpr: Expr {
    let pairs: [(Expr, Expr)]
    init(_ pairs: [(Expr, Expr)], line: Int) {
        self.pairs = pairs
        super.init(line: line)
    }
    override func eval(_ c: RenderContext) throws -> Value {
        var dict = OrderedDict()
        for (k, v) in pairs {
            let key = try PythonOperators.defined(k.eval(c))
            dict[try Access.dictKey(key)] = try v.eval(c)
        }
        return .dict(dict)
    }
}
