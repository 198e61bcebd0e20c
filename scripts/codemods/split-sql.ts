// One-off, re-runnable codemod (issue 16): moves every top-level declaration of a module that runs raw SQL
// (pool().query, <client>.query("…"), $queryRaw/$executeRaw) — together with the module-local declarations
// it uses — into a sibling `<name>-sql.ts`, and makes the original module import (and re-export) them, so
// the import paths other modules use do not change. The ESLint rule in eslint.config.mjs ("raw SQL lives
// in *-sql.ts or lib/db/") names what counts as raw SQL; this script uses the same test.
//   npx tsx scripts/codemods/split-sql.ts lib/sync/runs.ts lib/compliance/summary.ts …
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

export function isRawSqlCall(node: ts.Node): boolean {
  if (ts.isTaggedTemplateExpression(node) && ts.isPropertyAccessExpression(node.tag))
    return /^\$(queryRaw|executeRaw)/.test(node.tag.name.text);
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return false;
  const name = node.expression.name.text;
  if (/^\$(queryRaw|executeRaw)/.test(name)) return true;
  if (name !== "query") return false;
  const target = node.expression.expression;
  if (ts.isCallExpression(target) && ts.isIdentifier(target.expression) && target.expression.text === "pool") return true;
  if (ts.isPropertyAccessExpression(target) && target.name.text === "resourceGraph") return false;
  const first = node.arguments[0];
  return !!first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first) || ts.isTemplateExpression(first));
}

function containsSql(node: ts.Node): boolean {
  let found = false;
  const visit = (n: ts.Node) => {
    if (found) return;
    if (isRawSqlCall(n)) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

function declaredNames(stmt: ts.Statement): string[] {
  if ((ts.isFunctionDeclaration(stmt) || ts.isClassDeclaration(stmt)) && stmt.name) return [stmt.name.text];
  if (ts.isInterfaceDeclaration(stmt) || ts.isTypeAliasDeclaration(stmt) || ts.isEnumDeclaration(stmt)) return [stmt.name.text];
  if (ts.isVariableStatement(stmt)) {
    const out: string[] = [];
    const bind = (b: ts.BindingName) => {
      if (ts.isIdentifier(b)) out.push(b.text);
      else for (const e of b.elements) if (!ts.isOmittedExpression(e)) bind(e.name);
    };
    for (const d of stmt.declarationList.declarations) bind(d.name);
    return out;
  }
  return [];
}

function isTypeOnly(stmt: ts.Statement): boolean {
  return ts.isInterfaceDeclaration(stmt) || ts.isTypeAliasDeclaration(stmt);
}

function referenced(node: ts.Node): Set<string> {
  const out = new Set<string>();
  const visit = (n: ts.Node) => {
    if (ts.isIdentifier(n)) {
      const p = n.parent;
      const isMemberName = p && ts.isPropertyAccessExpression(p) && p.name === n;
      const isKey = p && (ts.isPropertyAssignment(p) || ts.isPropertySignature(p) || ts.isMethodDeclaration(p)) && p.name === n;
      if (!isMemberName && !isKey) out.add(n.text);
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return out;
}

function hasExport(stmt: ts.Statement): boolean {
  return !!ts.canHaveModifiers(stmt) && !!ts.getModifiers(stmt)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

/** Keeps only the import specifiers the rest of the text uses. */
function pruneImports(source: string, fileName: string): string {
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const body = sf.statements.filter((s) => !ts.isImportDeclaration(s));
  const used = new Set<string>();
  for (const s of body) for (const n of referenced(s)) used.add(n);
  const edits: Array<{ start: number; end: number; text: string }> = [];
  for (const s of sf.statements) {
    if (!ts.isImportDeclaration(s) || !s.importClause) continue;
    const clause = s.importClause;
    const keepDefault = clause.name && used.has(clause.name.text) ? clause.name.text : undefined;
    let named: string[] = [];
    let namespace: string | undefined;
    if (clause.namedBindings && ts.isNamedImports(clause.namedBindings)) {
      named = clause.namedBindings.elements.filter((e) => used.has(e.name.text)).map((e) => e.getText(sf));
    } else if (clause.namedBindings && ts.isNamespaceImport(clause.namedBindings) && used.has(clause.namedBindings.name.text)) {
      namespace = clause.namedBindings.getText(sf);
    }
    const parts = [keepDefault, namespace, named.length ? `{ ${named.join(", ")} }` : undefined].filter(Boolean);
    const text = parts.length ? `import ${clause.isTypeOnly ? "type " : ""}${parts.join(", ")} from ${s.moduleSpecifier.getText(sf)};` : "";
    edits.push({ start: s.getStart(sf), end: s.getEnd(), text });
  }
  let out = source;
  for (const e of edits.sort((a, b) => b.start - a.start)) {
    let end = e.end;
    if (!e.text && out[end] === "\n") end += 1;
    out = out.slice(0, e.start) + e.text + out.slice(end);
  }
  return out;
}

export function splitSql(file: string): string | null {
  const source = readFileSync(file, "utf8");
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const stmts = sf.statements.filter(
    (s) => !ts.isImportDeclaration(s) && !(ts.isExpressionStatement(s) && ts.isStringLiteral(s.expression)),
  );
  const owner = new Map<string, ts.Statement>();
  for (const s of stmts) for (const n of declaredNames(s)) owner.set(n, s);
  const moved = new Set(stmts.filter(containsSql));
  if (moved.size === 0) return null;
  for (let changed = true; changed;) {
    changed = false;
    for (const s of [...moved]) {
      for (const name of referenced(s)) {
        const o = owner.get(name);
        if (o && !moved.has(o)) {
          moved.add(o);
          changed = true;
        }
      }
    }
  }
  const base = path.basename(file, ".ts");
  const sqlFile = path.join(path.dirname(file), `${base}-sql.ts`);
  if (existsSync(sqlFile)) throw new Error(`${sqlFile} exists`);
  const imports = sf.statements.filter((s) => ts.isImportDeclaration(s)).map((s) => s.getText(sf));
  const movedInOrder = sf.statements.filter((s) => moved.has(s));
  const withExport = (s: ts.Statement) => {
    const text = s.getFullText(sf).replace(/^\s*\n/, "");
    if (hasExport(s)) return text;
    // Keep the leading comment above `export`.
    const start = s.getStart(sf) - s.getFullStart();
    const full = s.getFullText(sf);
    return (full.slice(0, start) + "export " + full.slice(start)).replace(/^\s*\n/, "");
  };
  const sqlText = [
    ...imports,
    "",
    `// The SQL of ${base}.ts (raw SQL lives in *-sql.ts modules or lib/db/: docs/ARCHITECTURE.md, "Boundaries").`,
    "",
    movedInOrder.map(withExport).join("\n\n"),
    "",
  ].join("\n");
  writeFileSync(sqlFile, pruneImports(sqlText, sqlFile));

  // The original module: without the moved statements, importing what it still uses and re-exporting what it exported.
  let rest = source;
  for (const s of [...movedInOrder].reverse()) rest = rest.slice(0, s.getFullStart()) + rest.slice(s.getEnd());
  const restSf = ts.createSourceFile(file, rest, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const restUsed = new Set<string>();
  for (const s of restSf.statements) if (!ts.isImportDeclaration(s)) for (const n of referenced(s)) restUsed.add(n);
  const values: string[] = [];
  const types: string[] = [];
  const reValues: string[] = [];
  const reTypes: string[] = [];
  for (const s of movedInOrder) {
    for (const n of declaredNames(s)) {
      if (restUsed.has(n)) (isTypeOnly(s) ? types : values).push(n);
      if (hasExport(s)) (isTypeOnly(s) ? reTypes : reValues).push(n);
    }
  }
  const spec = `"./${base}-sql"`;
  const added = [
    values.length || types.length ? `import { ${[...values, ...types.map((t) => `type ${t}`)].join(", ")} } from ${spec};` : "",
    reValues.length || reTypes.length ? `export { ${[...reValues, ...reTypes.map((t) => `type ${t}`)].join(", ")} } from ${spec};` : "",
  ].filter(Boolean);
  const lastImport = [...restSf.statements].reverse().find((s) => ts.isImportDeclaration(s));
  const at = lastImport ? lastImport.getEnd() : 0;
  rest = rest.slice(0, at) + (at ? "\n" : "") + added.join("\n") + (at ? "" : "\n") + rest.slice(at);
  rest = pruneImports(rest, file)
    .replace(/\n{3,}/g, "\n\n")
    .replace(/\n*$/, "\n");
  writeFileSync(file, rest);
  return sqlFile;
}

if (require.main === module) {
  for (const f of process.argv.slice(2)) {
    const out = splitSql(f);
    console.log(out ? `${f} → ${out}` : `${f}: no raw SQL`);
  }
}
