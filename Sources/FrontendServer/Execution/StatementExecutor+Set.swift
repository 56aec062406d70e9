import Expressions
import SQLParser

/// SET: system variables (SESSION and GLOBAL), user variables, NAMES / CHARACTER SET, TRANSACTION.
extension StatementExecutor {
    func applySet(_ assignments: [SetAssignment]) throws(SQLError) {
        for a in assignments {
            switch a {
            case .transaction: continue
            case .names, .characterSet:
                // Every connection speaks utf8mb4; the charset variables keep reporting it.
                continue
            case .userVariable(let name, let expr):
                session.userVariables[name.lowercased()] = try evaluate(expr)
            case .variable(let scope, let name, let expr):
                try setVariable(scope: scope, name: name, expr: expr)
            }
        }
    }

    private func setVariable(scope: VariableScope?, name: String, expr: Expr?) throws(SQLError) {
        guard let def = server.variables.definition(name) else { throw .unknownSystemVariable(name) }
        if def.readOnly { throw SQLError(1238, "HY000", "Variable '\(def.name)' is a read only variable") }
        guard let expr else {
            if scope == .global { server.variables.resetGlobal(def.name) } else { session.setSession(def.name, nil) }
            return
        }
        let raw = try evaluate(expr)
        guard let value = def.coerce(raw) else {
            throw SQLError(1231, "42000", "Variable '\(def.name)' can't be set to the value of '\(raw.text ?? "NULL")'")
        }
        if scope == .global { server.variables.setGlobal(def.name, value) } else { session.setSession(def.name, value) }
    }
}
