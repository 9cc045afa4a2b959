/**
 * Module-reference and global-use scanner for the architecture checker (architecture.ts), on the TypeScript AST so
 * that comments and strings never count as code.
 */
import ts from 'typescript';

/** A `shared/` path segment (../shared is the read-only reference area). */
export const SHARED_SEGMENT = /(^|[\\/])shared[\\/]/;
const GLOBAL_HOSTS = new Set(['globalThis', 'global', 'window', 'self']);
/** Randomness exported by node:crypto / WebCrypto. */
export const CRYPTO_RANDOM = new Set(['getRandomValues', 'randomUUID', 'randomBytes', 'randomInt', 'randomFill', 'randomFillSync']);
const WATCHED_GLOBALS = ['process', 'Date', 'Math', 'performance', 'crypto'] as const;

/** A module specifier used by a file. */
export interface ModuleReference {
  readonly specifier: string;
  readonly line: number;
  /** Names imported from the module (for `import { randomBytes } from 'node:crypto'`). */
  readonly importedNames: readonly string[];
}

function lineOf(sf: ts.SourceFile, node: ts.Node): number {
  return sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
}

function literalText(node: ts.Node | undefined): string | undefined {
  if (node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))) return node.text;
  return undefined;
}

/** The global a property access is made on: `Math` in `Math.random` and in `globalThis.Math.random`. */
function hostName(expr: ts.Expression): string | undefined {
  if (ts.isIdentifier(expr)) return expr.text;
  if (ts.isPropertyAccessExpression(expr) && ts.isIdentifier(expr.expression) && GLOBAL_HOSTS.has(expr.expression.text)) {
    return expr.name.text;
  }
  return undefined;
}

function memberName(node: ts.PropertyAccessExpression | ts.ElementAccessExpression): string | undefined {
  return ts.isPropertyAccessExpression(node) ? node.name.text : literalText(node.argumentExpression);
}

/** Whether an identifier is used as a value (not a property/member name, a label or part of a type). */
function isValueReference(id: ts.Identifier): boolean {
  const p = id.parent;
  if (ts.isPropertyAccessExpression(p) && p.name === id) return false;
  if (ts.isQualifiedName(p) || ts.isTypeReferenceNode(p) || ts.isTypeQueryNode(p)) return false;
  if (
    (ts.isPropertyAssignment(p) ||
      ts.isPropertyDeclaration(p) ||
      ts.isPropertySignature(p) ||
      ts.isMethodDeclaration(p) ||
      ts.isMethodSignature(p) ||
      ts.isGetAccessorDeclaration(p) ||
      ts.isSetAccessorDeclaration(p) ||
      ts.isEnumMember(p)) &&
    p.name === id
  ) {
    return false;
  }
  if (ts.isBindingElement(p) && p.propertyName === id) return false;
  if (ts.isImportSpecifier(p) || ts.isExportSpecifier(p) || ts.isLabeledStatement(p)) return false;
  if (ts.isBreakOrContinueStatement(p)) return false;
  return true;
}

/** Names the file binds itself (so that, e.g., a local `process` is not the Node global). */
function declaredNames(sf: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  const addBinding = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const el of name.elements) if (!ts.isOmittedExpression(el)) addBinding(el.name);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) || ts.isParameter(node)) addBinding(node.name);
    else if ((ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node) || ts.isFunctionExpression(node)) && node.name) {
      names.add(node.name.text);
    } else if (ts.isImportClause(node) && node.name) names.add(node.name.text);
    else if (ts.isNamespaceImport(node) || ts.isImportSpecifier(node) || ts.isImportEqualsDeclaration(node)) {
      names.add(node.name.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return names;
}

/** What `scanModule` finds in one file. */
export interface ScanResult {
  readonly references: ModuleReference[];
  readonly unresolvable: { readonly line: number; readonly text: string }[];
  readonly globals: { readonly line: number; readonly text: string }[];
  readonly sharedStrings: { readonly line: number; readonly text: string }[];
}

/**
 * Module references (imports, re-exports, `import x = require()`, dynamic `import()`, `require()`, `import()`
 * types), computed specifiers, uses of the watched globals (`process`, `Date.now`, `Date()`, `new Date()` without
 * arguments, `Math.random`, `performance.now`/`timeOrigin`, crypto randomness; names the file declares itself are
 * not the globals) and string literals naming a `shared/` path, in the TypeScript source `source`.
 */
export function scanModule(path: string, source: string): ScanResult {
  const sf = ts.createSourceFile(path, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const references: ModuleReference[] = [];
  const unresolvable: { line: number; text: string }[] = [];
  const globals: { line: number; text: string }[] = [];
  const sharedStrings: { line: number; text: string }[] = [];
  const specifierNodes = new Set<ts.Node>();
  const declared = declaredNames(sf);
  const watched = new Set<string>(WATCHED_GLOBALS.filter((g) => !declared.has(g)));

  const addReference = (node: ts.Node, specNode: ts.Node | undefined, importedNames: readonly string[] = []): void => {
    const spec = literalText(specNode);
    if (spec === undefined) {
      unresolvable.push({ line: lineOf(sf, node), text: node.getText(sf).slice(0, 80) });
      return;
    }
    if (specNode) specifierNodes.add(specNode);
    references.push({ specifier: spec, line: lineOf(sf, node), importedNames });
  };

  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const names: string[] = [];
      const bindings = node.importClause?.namedBindings;
      if (bindings && ts.isNamedImports(bindings)) {
        for (const el of bindings.elements) names.push((el.propertyName ?? el.name).text);
      }
      addReference(node, node.moduleSpecifier, names);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
      addReference(node, node.moduleSpecifier);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      addReference(node, node.moduleReference.expression);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      addReference(node, node.argument.literal);
    } else if (ts.isCallExpression(node)) {
      const isDynamicImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require' && !declared.has('require');
      if (isDynamicImport || isRequire) addReference(node, node.arguments[0]);
      // Date() called as a function returns the current time as a string
      if (ts.isIdentifier(node.expression) && node.expression.text === 'Date' && watched.has('Date')) {
        globals.push({ line: lineOf(sf, node), text: 'Date()' });
      }
    } else if (ts.isNewExpression(node)) {
      if (hostName(node.expression) === 'Date' && watched.has('Date') && (node.arguments?.length ?? 0) === 0) {
        globals.push({ line: lineOf(sf, node), text: 'new Date()' });
      }
    } else if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
      const host = hostName(node.expression);
      const member = memberName(node);
      if (host !== undefined && watched.has(host)) {
        const hit =
          (host === 'Date' && member === 'now') ||
          (host === 'Math' && member === 'random') ||
          (host === 'performance' && (member === 'now' || member === 'timeOrigin')) ||
          (host === 'crypto' && member !== undefined && CRYPTO_RANDOM.has(member)) ||
          (host === 'process' && !ts.isIdentifier(node.expression)); // globalThis.process
        if (hit) globals.push({ line: lineOf(sf, node), text: `${host}.${member ?? '[...]'}` });
      }
    } else if (ts.isIdentifier(node) && node.text === 'process' && watched.has('process') && isValueReference(node)) {
      const p = node.parent;
      const text =
        (ts.isPropertyAccessExpression(p) || ts.isElementAccessExpression(p)) && p.expression === node
          ? `process.${memberName(p) ?? '[...]'}`
          : 'process';
      globals.push({ line: lineOf(sf, node), text });
    } else if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
    ) {
      if (!specifierNodes.has(node) && SHARED_SEGMENT.test(node.text)) {
        sharedStrings.push({ line: lineOf(sf, node), text: node.text.slice(0, 80) });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { references, unresolvable, globals, sharedStrings };
}
