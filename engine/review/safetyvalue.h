#pragma once

#include <QSet>
#include <QString>
#include <QStringList>
#include <QStringView>

namespace l0 {

// What a value handed to a credential-like name is, judged from its own shape: the letters,
// digits and punctuation it is made of and how it is written, never the name it is given to.
// Shared by the rule detectors and the learned line model, so both read values the same way.
enum class ValueShape {
    Secret, // random-looking enough to be a real credential
    Weak, // could be a password, nothing in its shape says so either way (short, one kind of character)
    Number, // digits only
    Empty, // nothing, or punctuation only
    Placeholder, // changeme, xxx, <your-key>, your_api_key_here, example/test/dummy values, ****
    Reference, // ${VAR}, $VAR, %VAR%, {{ var }}, process.env.X, os.environ[...], a.b.c, f(x), arn:...
    Hash, // bcrypt, crypt(3), argon2, PBKDF2, LDAP {SCHEME} and digest-prefixed hashes
    Prose, // words and spaces: a label, a description, a translation
    Words, // an identifier made of dictionary-like words: makis_password, LET_ME_IN, real_key
    Repetitive, // few distinct characters or one block repeated: aaaa..., abcd1234abcd1234
    Encoded, // base64 of readable structure (a JWT header alone, a JSON object): no key by itself
};
const char *valueShapeName(ValueShape s);
// True for the shapes that hold no credential, whatever name they are given to.
bool shapeHoldsNoSecret(ValueShape s);

struct ValueJudgement {
    ValueShape shape = ValueShape::Weak;
    double bitsPerChar = 0; // Shannon entropy of the characters
    int length = 0;
    int classes = 0; // lower, upper, digit, other: how many kinds occur
    bool uuid = false; // 8-4-4-4-12 hex
    bool hex = false; // hex digits only (dashes allowed)
    bool base64Json = false; // base64 of a JSON object (a JWT header alone, a JWK): structure, not a key
};

// knownPlaceholders: whole values (lower case) that are never secrets, beyond the defaults below;
// placeholderWords: parts that mark a value as an example (example, dummy, ...).
ValueJudgement judgeValue(QStringView value, bool quoted, const QSet<QString> *knownPlaceholders = nullptr,
    const QStringList &placeholderWords = {});

// Whole values that are never real credentials: defaults, placeholders and the passwords of
// tutorials (lower case). The profile's "placeholders" list extends these for the rules.
const QSet<QString> &defaultPlaceholderValues();

// Dictionary-like: the letter pairs of the word are common in English words. Random strings of
// letters rarely are.
bool wordLike(QStringView letters);
// How often the most common character occurs, and whether the value is one block repeated.
bool repetitive(QStringView value);

// The syntax a line of code or configuration is written in, guessed from the line alone.
enum class LineSyntax {
    Unknown,
    Json,
    Yaml,
    EnvFile,
    Shell,
    Go,
    Python,
    JavaScript,
    CFamily,
    Ruby,
    Php,
    Xml,
    Url,
    Prose
};
const char *lineSyntaxName(LineSyntax s);
LineSyntax guessLineSyntax(QStringView line);

// The first "name <op> value" on a line: name = value, name: value, "name": "value", name := value,
// name => value, setName("value"), --name value. Offsets are into the line.
struct Assignment {
    qsizetype nameStart = -1, nameEnd = -1;
    qsizetype valueStart = -1, valueEnd = -1; // without the quotes
    QChar quote; // '"', '\'', '`' or null for an unquoted value
    QString op; // "=", ":", ":=", "=>", "==", "(", " "
    bool found() const { return valueStart >= 0; }
};
Assignment findAssignment(QStringView line);
// An unquoted value ending a statement (password = value;) in a language whose strings need
// quotes: code, an identifier or an expression, not a literal.
bool unquotedStatement(QStringView line, const Assignment &a);

} // namespace l0
