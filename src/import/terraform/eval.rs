//! Values of Terraform expressions, as far as they can be known without running Terraform:
//! literals, `var.x` (a default, a `*.tfvars`, `--var`), `local.x`, string templates of
//! those, and references between the resources asgsim imports (`aws_autoscaling_policy.up.arn`).
//! Anything else is [`Unresolved`], with the expression's text.

use std::collections::BTreeMap;

use hcl::edit::expr::{Expression, TraversalOperator};
use hcl::edit::template::Element;

/// A known value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Val {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number.
    Num(f64),
    /// A string (a resource reference reads as a string that names it).
    Str(String),
    /// A list or tuple.
    List(Vec<Val>),
    /// A map or object.
    Map(BTreeMap<String, Val>),
}

impl Val {
    /// A number, or a string that reads as one (Terraform converts them).
    pub(crate) fn as_f64(&self) -> Option<f64> {
        match self {
            Val::Num(n) => Some(*n),
            Val::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// A string, or a number or bool written as one.
    pub(crate) fn as_string(&self) -> Option<String> {
        match self {
            Val::Str(s) => Some(s.clone()),
            Val::Num(n) if n.fract() == 0.0 => Some(format!("{}", *n as i64)),
            Val::Num(n) => Some(n.to_string()),
            Val::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// `true`/`false`, or the strings `"true"`/`"false"`.
    pub(crate) fn as_bool(&self) -> Option<bool> {
        match self {
            Val::Bool(b) => Some(*b),
            Val::Str(s) if s == "true" => Some(true),
            Val::Str(s) if s == "false" => Some(false),
            _ => None,
        }
    }
}

/// Why an expression has no value here.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Unresolved {
    /// The part that could not be known (`var.env`, `data.aws_subnets.app.ids`).
    pub(crate) what: String,
    /// Why, in words.
    pub(crate) why: String,
}

/// What a reference to another imported resource reads as: the attributes asgsim needs.
pub(crate) type ResourceAttrs = BTreeMap<String, Val>;

/// What names resolve to.
#[derive(Debug, Default)]
pub(crate) struct Scope<'a> {
    /// Variables: default, then tfvars, then `--var`.
    pub(crate) vars: BTreeMap<String, Val>,
    /// Variables declared without a default and given no value.
    pub(crate) unset_vars: Vec<String>,
    /// Locals, unevaluated.
    pub(crate) locals: BTreeMap<String, &'a Expression>,
    /// Resources by `type.name`: the attributes a reference may read.
    pub(crate) resources: BTreeMap<String, ResourceAttrs>,
}

/// How deep locals may refer to locals before it counts as a cycle.
const MAX_DEPTH: usize = 32;

impl Scope<'_> {
    /// The value of `expr`.
    pub(crate) fn eval(&self, expr: &Expression) -> Result<Val, Unresolved> {
        self.eval_at(expr, 0)
    }

    /// The value of `expr`, `depth` levels into the expression that is evaluated (deep
    /// nesting means locals that refer to each other in a cycle).
    fn eval_at(&self, expr: &Expression, depth: usize) -> Result<Val, Unresolved> {
        if depth > MAX_DEPTH {
            return Err(unresolved(expr, "locals refer to each other in a cycle"));
        }
        match expr {
            Expression::Null(_) => Ok(Val::Null),
            Expression::Bool(b) => Ok(Val::Bool(*b.value())),
            Expression::Number(n) => n
                .as_f64()
                .map(Val::Num)
                .ok_or_else(|| unresolved(expr, "a number out of range")),
            Expression::String(s) => Ok(Val::Str(s.value().clone())),
            Expression::Array(items) => items
                .iter()
                .map(|e| self.eval_at(e, depth + 1))
                .collect::<Result<Vec<_>, _>>()
                .map(Val::List),
            Expression::Object(object) => self.eval_object(object, depth),
            Expression::StringTemplate(t) => self.eval_template(expr, t, depth),
            Expression::Parenthesis(p) => self.eval_at(p.inner(), depth + 1),
            Expression::Traversal(t) => self.traverse(expr, &t.expr, &t.operators, depth),
            Expression::FuncCall(f) => self.eval_call(expr, f, depth),
            Expression::Variable(v) => Err(unresolved(
                expr,
                &format!("{} is only known to Terraform", v.as_str()),
            )),
            _ => Err(unresolved(
                expr,
                "an expression asgsim does not evaluate (a condition, an operation or a for expression)",
            )),
        }
    }

    /// An object literal as a map; its keys must evaluate to strings.
    fn eval_object(
        &self,
        object: &hcl::edit::expr::Object,
        depth: usize,
    ) -> Result<Val, Unresolved> {
        let mut map = BTreeMap::new();
        for (key, value) in object.iter() {
            let key = match key {
                hcl::edit::expr::ObjectKey::Ident(i) => i.as_str().to_string(),
                hcl::edit::expr::ObjectKey::Expression(e) => self
                    .eval_at(e, depth + 1)?
                    .as_string()
                    .ok_or_else(|| unresolved(e, "an object key that is not a string"))?,
            };
            map.insert(key, self.eval_at(value.expr(), depth + 1)?);
        }
        Ok(Val::Map(map))
    }

    /// A string template `t` (the expression `expr`) with its interpolations filled in;
    /// directives (`%{if}`, `%{for}`) are not evaluated.
    fn eval_template(
        &self,
        expr: &Expression,
        t: &hcl::edit::template::StringTemplate,
        depth: usize,
    ) -> Result<Val, Unresolved> {
        let mut out = String::new();
        for element in t.iter() {
            match element {
                Element::Literal(s) => out.push_str(s.as_str()),
                Element::Interpolation(i) => {
                    let v = self.eval_at(&i.expr, depth + 1)?;
                    out.push_str(&v.as_string().ok_or_else(|| {
                        unresolved(&i.expr, "an interpolation that is not a string")
                    })?);
                }
                Element::Directive(_) => {
                    return Err(unresolved(expr, "template directives are not evaluated"));
                }
            }
        }
        Ok(Val::Str(out))
    }

    /// A call `f` (the expression `expr`) of one of the conversion functions Terraform
    /// configurations wrap values in; any other function is unresolved.
    fn eval_call(
        &self,
        expr: &Expression,
        f: &hcl::edit::expr::FuncCall,
        depth: usize,
    ) -> Result<Val, Unresolved> {
        let name = f.name.name.as_str();
        let args: Vec<&Expression> = f.args.iter().collect();
        match (name, &args[..]) {
            ("tolist" | "toset", [one]) => self.eval_at(one, depth + 1),
            ("tonumber", [one]) => {
                let v = self.eval_at(one, depth + 1)?;
                v.as_f64()
                    .map(Val::Num)
                    .ok_or_else(|| unresolved(expr, "tonumber of a non-number"))
            }
            ("tostring", [one]) => {
                let v = self.eval_at(one, depth + 1)?;
                v.as_string()
                    .map(Val::Str)
                    .ok_or_else(|| unresolved(expr, "tostring of a non-string"))
            }
            _ => Err(unresolved(
                expr,
                &format!("the function {name} is not evaluated"),
            )),
        }
    }

    /// `var.x`, `local.x`, `TYPE.NAME.attr`, then indexes and attributes into the value.
    fn traverse(
        &self,
        whole: &Expression,
        root: &Expression,
        operators: &[hcl::edit::Decorated<TraversalOperator>],
        depth: usize,
    ) -> Result<Val, Unresolved> {
        let Expression::Variable(root_name) = root else {
            let base = self.eval_at(root, depth + 1)?;
            return self.apply(whole, base, operators, depth);
        };
        let attr = |i: usize| match operators.get(i).map(|o| o.value()) {
            Some(TraversalOperator::GetAttr(a)) => Some(a.as_str().to_string()),
            _ => None,
        };
        let (value, used) = match root_name.as_str() {
            "var" => {
                let name = attr(0).ok_or_else(|| unresolved(whole, "var without a name"))?;
                (self.var(whole, &name)?, 1)
            }
            "local" => {
                let name = attr(0).ok_or_else(|| unresolved(whole, "local without a name"))?;
                let e = self
                    .locals
                    .get(&name)
                    .ok_or_else(|| unresolved(whole, &format!("no local {name} is declared")))?;
                (self.eval_at(e, depth + 1)?, 1)
            }
            "count" | "each" => {
                return Err(unresolved(whole, "count and for_each are not expanded"));
            }
            "data" => {
                return Err(unresolved(
                    whole,
                    "data sources are read by Terraform from AWS",
                ));
            }
            kind => {
                let name =
                    attr(0).ok_or_else(|| unresolved(whole, "a reference without a name"))?;
                (self.resource_attr(whole, kind, &name, attr(1))?, 2)
            }
        };
        self.apply(whole, value, &operators[used..], depth)
    }

    /// The value of variable `name` (referred to by `whole`); unresolved when it is not
    /// declared or nothing gives it a value, each with its own fix.
    fn var(&self, whole: &Expression, name: &str) -> Result<Val, Unresolved> {
        match self.vars.get(name) {
            Some(v) => Ok(v.clone()),
            None if self.unset_vars.iter().any(|v| v == name) => Err(unresolved(
                whole,
                &format!(
                    "variable {name} has no default, and no *.tfvars nor --var {name}=... gives it a value"
                ),
            )),
            None => Err(unresolved(
                whole,
                &format!("no variable {name} is declared"),
            )),
        }
    }

    /// Attribute `field` of resource `kind.name` (referred to by `whole`): known only for
    /// the resources asgsim reads and for attributes known before Terraform applies them.
    fn resource_attr(
        &self,
        whole: &Expression,
        kind: &str,
        name: &str,
        field: Option<String>,
    ) -> Result<Val, Unresolved> {
        let key = format!("{kind}.{name}");
        let Some(attrs) = self.resources.get(&key) else {
            return Err(unresolved(
                whole,
                &format!("{key} is not a resource asgsim reads"),
            ));
        };
        let field =
            field.ok_or_else(|| unresolved(whole, "a resource reference without an attribute"))?;
        attrs.get(&field).cloned().ok_or_else(|| {
            unresolved(
                whole,
                &format!("{key}.{field} is known only once Terraform applies it"),
            )
        })
    }

    /// Indexes and attribute reads into a known value.
    fn apply(
        &self,
        whole: &Expression,
        mut value: Val,
        operators: &[hcl::edit::Decorated<TraversalOperator>],
        depth: usize,
    ) -> Result<Val, Unresolved> {
        for op in operators {
            value = match (op.value(), value) {
                (TraversalOperator::GetAttr(a), Val::Map(m)) => m
                    .get(a.as_str())
                    .cloned()
                    .ok_or_else(|| unresolved(whole, &format!("no key {}", a.as_str())))?,
                (TraversalOperator::Index(i), v) => {
                    let key = self.eval_at(i, depth + 1)?;
                    index(whole, v, &key)?
                }
                (TraversalOperator::LegacyIndex(i), v) => {
                    index(whole, v, &Val::Num(*i.value() as f64))?
                }
                _ => return Err(unresolved(whole, "a splat or an attribute of a non-object")),
            };
        }
        Ok(value)
    }
}

fn index(whole: &Expression, value: Val, key: &Val) -> Result<Val, Unresolved> {
    match (value, key) {
        (Val::List(items), k) => k
            .as_f64()
            .and_then(|i| items.get(i as usize).cloned())
            .ok_or_else(|| unresolved(whole, "an index out of range")),
        (Val::Map(m), k) => k
            .as_string()
            .and_then(|k| m.get(&k).cloned())
            .ok_or_else(|| unresolved(whole, "a key the map does not have")),
        _ => Err(unresolved(
            whole,
            "an index into a value that is not a list or map",
        )),
    }
}

fn unresolved(expr: &Expression, why: &str) -> Unresolved {
    let text = expr.to_string();
    Unresolved {
        what: text.trim().to_string(),
        why: why.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expr(text: &str) -> Expression {
        hcl::edit::parser::parse_expr(text).unwrap()
    }

    #[test]
    fn literals_vars_locals_templates_and_references() {
        let local = expr("\"${var.env}-web\"");
        let mut scope = Scope::default();
        scope.vars.insert("env".into(), Val::Str("prod".into()));
        scope.vars.insert(
            "sizes".into(),
            Val::Map(BTreeMap::from([("max".into(), Val::Num(8.0))])),
        );
        scope.locals.insert("name".into(), &local);
        let mut attrs = ResourceAttrs::new();
        attrs.insert(
            "arn".into(),
            Val::Str("arn:tf:aws_autoscaling_policy.up".into()),
        );
        scope
            .resources
            .insert("aws_autoscaling_policy.up".into(), attrs);
        assert_eq!(
            scope.eval(&expr("local.name")).unwrap(),
            Val::Str("prod-web".into())
        );
        assert_eq!(scope.eval(&expr("var.sizes.max")).unwrap(), Val::Num(8.0));
        assert_eq!(
            scope.eval(&expr("var.sizes[\"max\"]")).unwrap(),
            Val::Num(8.0)
        );
        assert_eq!(
            scope
                .eval(&expr("[aws_autoscaling_policy.up.arn]"))
                .unwrap(),
            Val::List(vec![Val::Str("arn:tf:aws_autoscaling_policy.up".into())])
        );
        let e = scope.eval(&expr("data.aws_subnets.app.ids")).unwrap_err();
        assert_eq!(e.what, "data.aws_subnets.app.ids");
        let e = scope
            .eval(&expr("var.env == \"prod\" ? 3 : 1"))
            .unwrap_err();
        assert!(e.why.contains("condition"), "{e:?}");
        scope.unset_vars.push("max".into());
        let e = scope.eval(&expr("var.max")).unwrap_err();
        assert!(e.why.contains("--var max="), "{e:?}");
    }
}
