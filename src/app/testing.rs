//! Hand-built messages for unit tests of the reader, so app and ui logic can be tested without
//! loading an archive.

use crate::model::date::MailDate;
use std::sync::Arc;

use crate::model::message::{Address, Kind, Message, Summary};
use crate::model::subject::Subject;
use crate::model::trailer::Trailer;

/// A message with the given author, day (days after 2020-10-01, noon UTC) and subject parts.
/// `number` of `Some(0)` makes a cover letter; `reply` makes a reply.
pub fn message(
    id: &str,
    author: &str,
    day: i64,
    title: &str,
    number: Option<(u32, u32)>,
    reply: bool,
) -> Message {
    let kind = match (reply, number) {
        (true, _) => Kind::Reply,
        (false, Some((0, _))) => Kind::Cover,
        (false, Some(_)) => Kind::Patch,
        (false, None) => Kind::Patch,
    };
    let address = Address {
        name: author.to_string(),
        email: format!("{}@example.org", author.to_lowercase().replace(' ', ".")),
    };
    let mut subject = Subject::with_title(title, title);
    subject.reply = reply;
    subject.tags = vec![Arc::from("PATCH")].into();
    subject.number = number.map(|(n, _)| n);
    subject.total = number.map(|(_, t)| t);
    subject.patch = true;
    let mut message = Message::new(
        id.to_string(),
        None,
        Default::default(),
        Arc::new(address),
        subject,
    );
    message.date = Some(MailDate::new(1_601_553_600 + day * 86_400, 120));
    message.list_id = Some(Arc::from("<kvm.vger.kernel.org>"));
    message.kind = kind;
    message.summary = Summary {
        insertions: 3,
        deletions: 1,
        trailers: vec![Trailer {
            key: "Signed-off-by".into(),
            value: format!("{author} <x@example.org>").into(),
        }]
        .into(),
        ..Summary::default()
    };
    message
}

/// The thread tree of hand-built messages, threaded and grouped into series as the archive
/// does it.
pub fn threads(messages: &[Message]) -> crate::index::thread::Threads {
    let id = |i: u32| messages.get(i as usize).map_or("", |m| &*m.id);
    let by_id = crate::index::ids::IdIndex::build(messages.len(), id);
    let find = |key: &str| by_id.get(key, id);
    let answers = crate::index::thread::Answer::all(messages, &find);
    let grouping = crate::index::series::group(messages, &by_id, &answers);
    crate::index::thread::Threads::build(messages, &answers, &find, &grouping.series)
}
