#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include "core/chat.h"

namespace l0 {

// What the semantic tier embeds and compares for a request: the text of the last user turn.
// Empty when the conversation does not end with a user turn with text (the tier abstains).
QString semanticText(const ChatRequest &request);

// Everything about a request except the last user turn's text, hashed (hex SHA-256 over the
// exact tier's canonical form with that text blanked): tenant, namespace, model, system
// prompt, earlier turns, tools, parameters. Two requests are neighbours only with the same
// context: another conversation makes the same words another question.
QByteArray semanticContext(qint64 tenantId, const QString &ns, const ChatRequest &request);

// The words of a text as the embedder and the guards see them: lower case, letters and digits,
// contractions opened ("don't" -> "do not", "can't" -> "can not"), everything else a break.
QStringList semanticWords(const QString &text);

// Function words that carry little of what a question asks (English and German).
bool isStopWord(const QString &word);
// A cue that negates what follows ("not", "never", "without", "kein").
bool isNegationCue(const QString &word);
// A light suffix strip so that "loses", "losing" and "lose" meet ("lose").
QString lightStem(const QString &word);

} // namespace l0
