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
        "", "   ", "\t", "'", "!", "^", "$", "from:", "s:\"\"", "|", " | ",
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
    // An empty alternative while typing adds nothing.
    assert_eq!(shape("a b|"), shape("a b"));
    assert_eq!(shape("a |b"), shape("a|b"));
}

#[test]
fn every_field_and_its_aliases() {
    use Mode::*;
    let cases: &[(&str, Field, Mode, &str)] = &[
        ("from:vetter", Field::From, Fuzzy, "vetter"),
        ("a:vetter", Field::From, Fuzzy, "vetter"),
        ("author:vetter", Field::From, Fuzzy, "vetter"),
        ("FROM:vetter", Field::From, Fuzzy, "vetter"),
        ("subject:pfn", Field::Subject, Fuzzy, "pfn"),
        ("s:pfn", Field::Subject, Fuzzy, "pfn"),
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
        ("series:pfn", Field::Series, Fuzzy, "pfn"),
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
        (false, text(Field::Subject, Mode::Fuzzy, "follow pfn"))
    );
    assert_eq!(
        one("'\"a|b c\""),
        (false, text(Field::Any, Mode::Substring, "a|b c"))
    );
    assert_eq!(one("\"x$\""), (false, text(Field::Any, Mode::Fuzzy, "x$")));
    assert_eq!(one("\"x\"$"), (false, text(Field::Any, Mode::Suffix, "x")));
    // Unterminated quotes run to the end, so a half-typed value already filters.
    assert_eq!(
        one("s:\"follow pf"),
        (false, text(Field::Subject, Mode::Fuzzy, "follow pf"))
    );
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
