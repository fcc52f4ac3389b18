//! Parser tests: every construct of the query language and every error.

use super::*;
use crate::index::date_range::days_from_civil;

fn text(field: Field, mode: Mode, text: &str) -> Predicate {
    Predicate::Text {
        field,
        mode,
        text: text.to_string(),
    }
}

/// The clauses as (negated, predicate) lists, spans left out.
fn shape(query: &str) -> Vec<Vec<(bool, Predicate)>> {
    Ast::parse(query)
        .unwrap_or_else(|e| panic!("{query}: {e}"))
        .clauses
        .into_iter()
        .map(|c| {
            c.alternatives
                .into_iter()
                .map(|t| (t.negated, t.predicate))
                .collect()
        })
        .collect()
}

fn one(query: &str) -> (bool, Predicate) {
    let mut s = shape(query);
    assert_eq!(s.len(), 1, "{query}: {s:?}");
    let mut clause = s.remove(0);
    assert_eq!(clause.len(), 1, "{query}: {clause:?}");
    clause.remove(0)
}

fn error(query: &str) -> QueryError {
    match Ast::parse(query) {
        Err(e) => e,
        Ok(ast) => panic!("{query} parsed: {ast:?}"),
    }
}

#[test]
fn empty_and_blank_queries_match_everything() {
    for q in [
        "", "   ", "\t", "'", "!", "-", "^", "$", "~", "from:", "s:\"\"", "-from:", "(from:)",
    ] {
        assert!(shape(q).is_empty(), "{q}: {:?}", shape(q));
    }
}

#[test]
fn plain_terms_are_fuzzy_and_modifiers_change_the_mode() {
    use Field::Any;
    assert_eq!(one("pfn"), (false, text(Any, Mode::Fuzzy, "pfn")));
    assert_eq!(one("'pfn"), (false, text(Any, Mode::Substring, "pfn")));
    assert_eq!(one("^drm"), (false, text(Any, Mode::Prefix, "drm")));
    assert_eq!(one("unsafe$"), (false, text(Any, Mode::Suffix, "unsafe")));
    assert_eq!(one("^drm$"), (false, text(Any, Mode::Exact, "drm")));
    assert_eq!(one("!pfn"), (true, text(Any, Mode::Fuzzy, "pfn")));
    assert_eq!(one("!'foo"), (true, text(Any, Mode::Substring, "foo")));
    assert_eq!(one("!^foo$"), (true, text(Any, Mode::Exact, "foo")));
    assert_eq!(one("!!foo"), (false, text(Any, Mode::Fuzzy, "foo")));
    assert_eq!(one("''foo"), (false, text(Any, Mode::Substring, "'foo")));
    assert_eq!(one("x86:"), (false, text(Any, Mode::Fuzzy, "x86:")));
    assert_eq!(one("'kvm:"), (false, text(Any, Mode::Substring, "kvm:")));
}

#[test]
fn spaces_and_and_bars_or_binding_tighter() {
    let s = shape("a b|c d");
    assert_eq!(s.len(), 3);
    assert_eq!(s[1].len(), 2);
    assert_eq!(shape("a b | c d"), s);
    assert_eq!(shape("a b| c d"), s);
    assert_eq!(shape("a b |c d"), s);
    assert_eq!(shape("a |b"), shape("a|b"));
    // An empty alternative adds nothing.
    assert_eq!(shape("a b|from:"), shape("a b"));
}

#[test]
fn every_field_and_its_aliases() {
    use Mode::*;
    let cases: &[(&str, Field, Mode, &str)] = &[
        ("from:vetter", Field::From, Substring, "vetter"),
        ("a:vetter", Field::From, Substring, "vetter"),
        ("author:vetter", Field::From, Substring, "vetter"),
        ("FROM:vetter", Field::From, Substring, "vetter"),
        ("subject:pfn", Field::Subject, Substring, "pfn"),
        ("s:pfn", Field::Subject, Substring, "pfn"),
        ("s:~pmu", Field::Subject, Fuzzy, "pmu"),
        ("from:~vtr", Field::From, Fuzzy, "vtr"),
        ("tag:~nn", Field::Tag, Fuzzy, "nn"),
        ("file:mm/gup.c", Field::File, Substring, "mm/gup.c"),
        ("f:mm/gup.c", Field::File, Substring, "mm/gup.c"),
        ("f:^drivers/", Field::File, Prefix, "drivers/"),
        ("f:.c$", Field::File, Suffix, ".c"),
        ("body:follow_pfn", Field::Body, Substring, "follow_pfn"),
        ("b:follow_pfn", Field::Body, Substring, "follow_pfn"),
        (
            "trailer:reviewed-by",
            Field::Trailer,
            Substring,
            "reviewed-by",
        ),
        ("t:hubbard", Field::Trailer, Substring, "hubbard"),
        ("series:pfn", Field::Series, Substring, "pfn"),
        ("list:kvm", Field::List, Substring, "kvm"),
        ("tag:rfc", Field::Tag, Exact, "rfc"),
        ("tag:'net", Field::Tag, Substring, "net"),
        ("tag:^net", Field::Tag, Prefix, "net"),
    ];
    for &(q, field, mode, value) in cases {
        assert_eq!(one(q), (false, text(field, mode, value)), "{q}");
    }
}

#[test]
fn field_values_take_modifiers_and_negation_either_side() {
    assert_eq!(one("!from:vetter"), one("from:!vetter"));
    assert!(one("!from:vetter").0);
    assert!(!one("!from:!vetter").0);
    assert_eq!(
        one("from:'vetter"),
        (false, text(Field::From, Mode::Substring, "vetter"))
    );
    assert_eq!(
        one("s:^drm$"),
        (false, text(Field::Subject, Mode::Exact, "drm"))
    );
}

#[test]
fn double_quotes_keep_spaces_and_bars() {
    assert_eq!(
        one("s:\"follow pfn\""),
        (false, text(Field::Subject, Mode::Substring, "follow pfn"))
    );
    assert_eq!(
        one("'\"a|b c\""),
        (false, text(Field::Any, Mode::Substring, "a|b c"))
    );
    assert_eq!(one("\"x$\""), (false, text(Field::Any, Mode::Fuzzy, "x$")));
    assert_eq!(one("\"x\"$"), (false, text(Field::Any, Mode::Suffix, "x")));
    let e = error("s:x s:\"follow pf");
    assert_eq!((e.pos, e.kind), (6, QueryErrorKind::UnterminatedQuote));
}

#[test]
fn versions_kinds_and_dates() {
    assert_eq!(one("v:3"), (false, Predicate::Version(3)));
    assert_eq!(one("v:v12"), (false, Predicate::Version(12)));
    assert_eq!(one("!v:1"), (true, Predicate::Version(1)));
    assert_eq!(one("is:patch"), (false, Predicate::Kind(Kind::Patch)));
    assert_eq!(one("is:Cover"), (false, Predicate::Kind(Kind::Cover)));
    assert_eq!(one("is:reply"), (false, Predicate::Kind(Kind::Reply)));
    assert_eq!(one("is:pull"), (false, Predicate::Kind(Kind::Pull)));
    assert_eq!(one("is:other"), (false, Predicate::Kind(Kind::Other)));
    let day = 86_400;
    assert_eq!(
        one("date:2020-10..2020-11"),
        (
            false,
            Predicate::Date(DateRange {
                start: Some(days_from_civil(2020, 10, 1) * day),
                end: Some(days_from_civil(2020, 12, 1) * day),
            })
        )
    );
    assert!(matches!(
        one("date:2020..").1,
        Predicate::Date(DateRange { end: None, .. })
    ));
    assert!(matches!(
        one("date:..2021-03-01").1,
        Predicate::Date(DateRange { start: None, .. })
    ));
}

#[test]
fn bare_alternatives_after_is_and_v_keep_the_field() {
    assert_eq!(
        shape("is:patch|cover"),
        vec![vec![
            (false, Predicate::Kind(Kind::Patch)),
            (false, Predicate::Kind(Kind::Cover))
        ]]
    );
    assert_eq!(
        shape("v:2|3"),
        vec![vec![
            (false, Predicate::Version(2)),
            (false, Predicate::Version(3))
        ]]
    );
    // Anything else after the bar is a plain term.
    assert_eq!(
        shape("is:patch|pfn")[0][1],
        (false, text(Field::Any, Mode::Fuzzy, "pfn"))
    );
}

#[test]
fn spans_point_at_the_term() {
    let ast = Ast::parse("a  from:vetter|'x").unwrap();
    assert_eq!(ast.clauses[0].alternatives[0].span, 0..1);
    assert_eq!(ast.clauses[1].alternatives[0].span, 3..14);
    assert_eq!(ast.clauses[1].alternatives[1].span, 15..17);
}

#[test]
fn errors_say_what_and_where() {
    let e = error("pfn foo:bar");
    assert_eq!(e.pos, 4);
    assert_eq!(e.kind, QueryErrorKind::UnknownField("foo".into()));
    assert!(e.to_string().contains("unknown field `foo:`"), "{e}");
    assert_eq!(error("!re:x").pos, 1);

    let e = error("s:x v:x");
    assert_eq!((e.pos, e.kind), (6, QueryErrorKind::BadVersion("x".into())));
    assert_eq!(
        error("v:99999999999").kind,
        QueryErrorKind::BadVersion("99999999999".into())
    );

    let e = error("is:patches");
    assert_eq!(
        (e.pos, e.kind),
        (3, QueryErrorKind::UnknownKind("patches".into()))
    );

    let e = error("date:2020-13");
    assert_eq!(
        (e.pos, e.kind),
        (5, QueryErrorKind::BadDate("2020-13".into()))
    );
    let e = error("date:2020..2020-1x");
    assert_eq!(
        (e.pos, e.kind),
        (11, QueryErrorKind::BadDate("2020-1x".into()))
    );
    let e = error("date:2021..2020");
    assert_eq!((e.pos, e.kind), (5, QueryErrorKind::ReversedDateRange));

    for (q, modifier) in [("v:'3", '\''), ("is:^patch", '^'), ("date:2020$", '$')] {
        assert!(
            matches!(error(q).kind, QueryErrorKind::ModifierNotAllowed { modifier: m, .. } if m == modifier),
            "{q}"
        );
    }
}

#[test]
fn hostile_text_never_panics() {
    for q in [
        "\"",
        "!\"",
        "é:x",
        "s:é$",
        "'\u{0}|\u{7f}",
        "a|||b",
        "\"|\"|\"",
        "!!!!",
        "date:..",
        "^$",
    ] {
        let _ = Ast::parse(q);
    }
}

#[test]
fn narrowing_is_detected_only_when_safe() {
    let narrows =
        |old: &str, new: &str| Ast::parse(new).unwrap().narrows(&Ast::parse(old).unwrap());
    assert!(narrows("", "a"));
    assert!(narrows("pf", "pfn"));
    assert!(narrows("pfn", "pfn "));
    assert!(narrows("pfn", "pfn v"));
    assert!(narrows("pfn", "pfn !x"));
    assert!(narrows("from:vet", "from:vett"));
    assert!(narrows("'qco", "'qcom"));
    assert!(narrows("^dr", "^drm"));
    assert!(narrows("a|b", "a|bc"));
    assert!(narrows("pf", "pfN"));
    assert!(!narrows("!pf", "!pfn"));
    assert!(!narrows("a", "a|b"));
    assert!(!narrows("pfn$", "pfn$x"));
    assert!(!narrows("v:1", "v:12"));
    assert!(!narrows("pfn", "pf"));
    assert!(!narrows("a b", "a"));
    assert!(!narrows("from:vet", "from:vet|x"));
    assert!(!narrows("pfn", "'pfn"));
}

#[test]
fn word_operators_are_the_symbols() {
    assert_eq!(shape("kvm OR xen"), shape("kvm|xen"));
    assert_eq!(shape("a b OR c d"), shape("a b|c d"));
    assert_eq!(shape("kvm AND NOT rfc"), shape("kvm !rfc"));
    assert_eq!(shape("kvm NOT rfc"), shape("kvm !rfc"));
    assert_eq!(shape("kvm -rfc"), shape("kvm !rfc"));
    assert_eq!(shape("-from:bot"), shape("!from:bot"));
    assert_eq!(shape("NOT NOT kvm"), shape("kvm"));
    // Lower case is text.
    assert_eq!(
        shape("a or b"),
        vec![
            vec![(false, text(Field::Any, Mode::Fuzzy, "a"))],
            vec![(false, text(Field::Any, Mode::Fuzzy, "or"))],
            vec![(false, text(Field::Any, Mode::Fuzzy, "b"))],
        ]
    );
    assert_eq!(one("'OR"), (false, text(Field::Any, Mode::Substring, "OR")));
}

#[test]
fn groups_expand_to_clauses() {
    let any = |t: &str| (false, text(Field::Any, Mode::Fuzzy, t));
    let not = |t: &str| (true, text(Field::Any, Mode::Fuzzy, t));
    assert_eq!(shape("(a)"), shape("a"));
    assert_eq!(shape("(a b) c"), shape("a b c"));
    assert_eq!(
        shape("(a b) OR c"),
        vec![vec![any("a"), any("c")], vec![any("b"), any("c")]]
    );
    assert_eq!(shape("-(a OR b)"), vec![vec![not("a")], vec![not("b")]]);
    assert_eq!(shape("NOT (a b)"), vec![vec![not("a"), not("b")]]);
    assert_eq!(shape("!(a -b)"), vec![vec![not("a"), any("b")]]);
    assert_eq!(shape("((a|b))"), shape("a|b"));
    // A `)` ending a word outside any group is text.
    assert_eq!(
        one("s:foo()"),
        (false, text(Field::Subject, Mode::Substring, "foo()"))
    );
    assert_eq!(shape("(s:foo())"), shape("s:foo()"));
}

#[test]
fn the_tree_keeps_the_query_as_written() {
    let ast = Ast::parse("(a b) OR -c").unwrap();
    let Some(Expr::Or(parts)) = &ast.expr else {
        panic!("{:?}", ast.expr);
    };
    assert!(matches!(&parts[0], Expr::And(inner) if inner.len() == 2));
    assert!(matches!(&parts[1], Expr::Term(t) if t.negated));
    let mut seen = Vec::new();
    assert!(ast.expr.as_ref().unwrap().holds(&mut |t: &Term| {
        seen.push(t.span.clone());
        t.span == (0..2) || t.span == (3..5)
    }));
}

#[test]
fn structural_mistakes_are_typed_errors() {
    use QueryErrorKind::*;
    let cases: &[(&str, usize, QueryErrorKind)] = &[
        ("s:\"pmu", 2, UnterminatedQuote),
        ("a OR", 2, DanglingOperator("OR")),
        ("OR a", 0, DanglingOperator("OR")),
        ("a |", 2, DanglingOperator("|")),
        ("a|", 1, DanglingOperator("|")),
        ("|a", 0, DanglingOperator("|")),
        ("a AND", 2, DanglingOperator("AND")),
        ("AND a", 0, DanglingOperator("AND")),
        ("a AND OR b", 2, DanglingOperator("AND")),
        ("a NOT", 2, DanglingOperator("NOT")),
        ("(a OR) b", 3, DanglingOperator("OR")),
        ("a ()", 2, EmptyGroup),
        ("a ( )", 2, EmptyGroup),
        ("(a b", 0, UnclosedGroup),
        ("a (b (c)", 2, UnclosedGroup),
        ("a )", 2, UnmatchedClose),
        ("(a) )", 4, UnmatchedClose),
    ];
    for (q, pos, kind) in cases {
        let e = error(q);
        assert_eq!((e.pos, &e.kind), (*pos, kind), "{q}");
    }
    assert!(matches!(error("s:~'x").kind, FuzzyAnchored));
    assert!(matches!(
        error("v:~3").kind,
        ModifierNotAllowed { modifier: '~', .. }
    ));
    let wide = "(a b c d e f g h) OR (i j k l m n o p) OR (q r s t u v w x)";
    assert_eq!(error(wide).kind, TooComplex(expr::MAX_CLAUSES));
    assert!(error("a OR").to_string().contains("OR"));
}
