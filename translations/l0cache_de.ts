<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>l0::ui::AliasReview</name>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="45"/>
        <source>Similarity</source>
        <translation>Ähnlichkeit</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="45"/>
        <source>Query</source>
        <translation>Anfrage</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="45"/>
        <source>Same as</source>
        <translation>Entspricht</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="45"/>
        <source>Seen</source>
        <translation>Gesehen</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="45"/>
        <source>Tenant</source>
        <translation>Mandant</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="47"/>
        <source>How close the query came to the entry (cosine similarity; it did not pass the entry&apos;s threshold)</source>
        <translation>Wie nah die Anfrage dem Eintrag kam (Kosinus-Ähnlichkeit; sie hat die Schwelle des Eintrags nicht erreicht)</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="48"/>
        <source>How often this query came close to the entry</source>
        <translation>Wie oft diese Anfrage dem Eintrag nahe kam</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="59"/>
        <source>Alias proposals</source>
        <translation>Alias-Vorschläge</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="63"/>
        <source>Alias question</source>
        <translation>Alias-Frage</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="65"/>
        <source>The entry&apos;s question and this query, side by side</source>
        <translation>Die Frage des Eintrags und diese Anfrage nebeneinander</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="68"/>
        <source>The answer a yes would serve for this query</source>
        <translation>Die Antwort, die ein Ja für diese Anfrage liefern würde</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="69"/>
        <source>Alias review status</source>
        <translation>Alias-Prüfstatus</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="76"/>
        <source>&lt;b&gt;The two questions&lt;/b&gt; (words only in one of them are marked)</source>
        <translation>&lt;b&gt;Die beiden Fragen&lt;/b&gt; (Wörter, die nur in einer vorkommen, sind markiert)</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="97"/>
        <source>&amp;Same question (A)</source>
        <translation>&amp;Gleiche Frage (A)</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="98"/>
        <source>&amp;Not the same (R)</source>
        <translation>&amp;Nicht dieselbe (R)</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="99"/>
        <source>S&amp;kip (S)</source>
        <translation>Ü&amp;berspringen (S)</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="100"/>
        <source>Signed with your key: this query is answered as the entry from now on (an exact hit)</source>
        <translation>Mit Ihrem Schlüssel signiert: diese Anfrage wird ab jetzt wie der Eintrag beantwortet (ein exakter Treffer)</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="101"/>
        <source>Signed with your key: recorded, and this query is not proposed for the entry again</source>
        <translation>Mit Ihrem Schlüssel signiert: wird vermerkt, und diese Anfrage wird für den Eintrag nicht mehr vorgeschlagen</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="145"/>
        <source>Refused: %1</source>
        <translation>Abgelehnt: %1</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="178"/>
        <source>Cannot read the alias proposals: %1</source>
        <translation>Die Alias-Vorschläge sind nicht lesbar: %1</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="189"/>
        <source>entry %1</source>
        <translation>Eintrag %1</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="192"/>
        <source>&lt;p&gt;%1&lt;/p&gt;&lt;p&gt;≈ entry %2: %3&lt;/p&gt;&lt;p&gt;similarity %4 · seen %5 · tenant %6&lt;/p&gt;</source>
        <translation>&lt;p&gt;%1&lt;/p&gt;&lt;p&gt;≈ Eintrag %2: %3&lt;/p&gt;&lt;p&gt;Ähnlichkeit %4 · %5-mal gesehen · Mandant %6&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="225"/>
        <source>&lt;b&gt;No alias proposals wait.&lt;/b&gt;&lt;br&gt;Queries that come close to an approved entry without passing its threshold appear here.</source>
        <translation>&lt;b&gt;Keine Alias-Vorschläge warten.&lt;/b&gt;&lt;br&gt;Anfragen, die einem freigegebenen Eintrag nahe kommen, ohne seine Schwelle zu erreichen, erscheinen hier.</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="227"/>
        <source>&lt;b&gt;Pick a proposal.&lt;/b&gt;</source>
        <translation>&lt;b&gt;Einen Vorschlag wählen.&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="233"/>
        <source>&lt;big&gt;&lt;b&gt;Same question as entry %1?&lt;/b&gt;&lt;/big&gt;&lt;br&gt;similarity &lt;b&gt;%2&lt;/b&gt; · came up %3 · tenant %4%5 · first %6</source>
        <translation>&lt;big&gt;&lt;b&gt;Gleiche Frage wie Eintrag %1?&lt;/b&gt;&lt;/big&gt;&lt;br&gt;Ähnlichkeit &lt;b&gt;%2&lt;/b&gt; · %3 aufgetreten · Mandant %4%5 · zuerst %6</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="237"/>
        <source>once</source>
        <translation>einmal</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="237"/>
        <source>%1 times</source>
        <translation>%1-mal</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="239"/>
        <source> · namespace %1</source>
        <translation> · Namensraum %1</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="241"/>
        <source>Entry %1 asks</source>
        <translation>Eintrag %1 fragt</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="241"/>
        <source>This query asks</source>
        <translation>Diese Anfrage fragt</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="244"/>
        <source>&lt;b&gt;What entry %1 answers&lt;/b&gt; (version %2): a yes serves it for this query too</source>
        <translation>&lt;b&gt;Was Eintrag %1 antwortet&lt;/b&gt; (Version %2): ein Ja liefert es auch für diese Anfrage</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="249"/>
        <source>&lt;b&gt;Entry %1 serves no approved answer now&lt;/b&gt;: it cannot be confirmed; &quot;not the same&quot; is still recorded</source>
        <translation>&lt;b&gt;Eintrag %1 liefert derzeit keine freigegebene Antwort&lt;/b&gt;: er kann nicht bestätigt werden; „nicht dieselbe“ wird trotzdem vermerkt</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="290"/>
        <source>Confirming…</source>
        <translation>Wird bestätigt…</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="290"/>
        <source>Recording “not the same”…</source>
        <translation>„Nicht dieselbe“ wird vermerkt…</translation>
    </message>
</context>
<context>
    <name>l0::ui::AliasWorker</name>
    <message>
        <location filename="../ui/review/aliasworker.cpp" line="39"/>
        <source>load your reviewer key first (File › Reviewer key): alias decisions are signed</source>
        <translation>zuerst den Prüferschlüssel laden (Datei › Prüferschlüssel laden): Alias-Entscheidungen werden signiert</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasworker.cpp" line="56"/>
        <source>“%1” is now answered as entry %2</source>
        <translation>„%1“ wird jetzt wie Eintrag %2 beantwortet</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasworker.cpp" line="57"/>
        <source>“%1” is not entry %2: recorded, it will not be proposed again</source>
        <translation>„%1“ ist nicht Eintrag %2: vermerkt, es wird nicht wieder vorgeschlagen</translation>
    </message>
</context>
<context>
    <name>l0::ui::AuditWidget</name>
    <message>
        <location filename="../ui/audit/auditwidget.cpp" line="77"/>
        <source>&amp;Restore from the chain…</source>
        <translation>Aus der Kette &amp;wiederherstellen…</translation>
    </message>
    <message>
        <location filename="../ui/audit/auditwidget.cpp" line="82"/>
        <source>Audit chain verification</source>
        <translation>Prüfung der Prüfkette</translation>
    </message>
    <message>
        <location filename="../ui/audit/auditwidget.cpp" line="84"/>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <location filename="../ui/audit/auditwidget.cpp" line="84"/>
        <source>Who</source>
        <translation>Wer</translation>
    </message>
    <message>
        <location filename="../ui/audit/auditwidget.cpp" line="84"/>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <location filename="../ui/audit/auditwidget.cpp" line="84"/>
        <source>Subject</source>
        <translation>Gegenstand</translation>
    </message>
    <message>
        <location filename="../ui/audit/auditwidget.cpp" line="84"/>
        <source>Details</source>
        <translation>Einzelheiten</translation>
    </message>
    <message>
        <location filename="../ui/audit/auditwidget.cpp" line="90"/>
        <source>Audit log</source>
        <translation>Prüfprotokoll</translation>
    </message>
    <message>
        <location filename="../ui/audit/auditwidget.cpp" line="91"/>
        <source>&amp;Verify again</source>
        <translation>Erneut &amp;prüfen</translation>
    </message>
    <message>
        <location filename="../ui/audit/auditwidget.cpp" line="93"/>
        <source>Table</source>
        <translation>Tabelle</translation>
    </message>
    <message>
        <location filename="../ui/audit/auditwidget.cpp" line="93"/>
        <source>Row</source>
        <translation>Zeile</translation>
    </message>
    <message>
        <location filename="../ui/audit/auditwidget.cpp" line="93"/>
        <source>Stored</source>
        <translation>Gespeichert</translation>
    </message>
    <message>
        <location filename="../ui/audit/auditwidget.cpp" line="93"/>
        <source>The chain says</source>
        <translation>Laut Kette</translation>
    </message>
    <message>
        <location filename="../ui/audit/auditwidget.cpp" line="93"/>
        <source>Why</source>
        <translation>Warum</translation>
    </message>
    <message>
        <location filename="../ui/audit/auditwidget.cpp" line="98"/>
        <source>Rows that do not follow from the audit chain</source>
        <translation>Zeilen, die nicht aus der Audit-Kette folgen</translation>
    </message>
    <message>
        <location filename="../ui/audit/auditwidget.cpp" line="101"/>
        <source>Put these rows back to what the chain and its signatures say (needs the admin key)</source>
        <translation>Diese Zeilen auf den Stand der Kette und ihrer Signaturen zurücksetzen (braucht den Admin-Schlüssel)</translation>
    </message>
    <message>
        <location filename="../ui/audit/auditwidget.cpp" line="136"/>
        <source>Verifying the chain…</source>
        <translation>Die Kette wird geprüft…</translation>
    </message>
    <message>
        <location filename="../ui/audit/auditwidget.cpp" line="159"/>
        <source>Restoring from the chain…</source>
        <translation>Wiederherstellung aus der Kette…</translation>
    </message>
    <message>
        <location filename="../ui/audit/auditwidget.cpp" line="165"/>
        <location filename="../ui/audit/auditwidget.cpp" line="170"/>
        <source>The admin key</source>
        <translation>Der Admin-Schlüssel</translation>
    </message>
    <message>
        <location filename="../ui/audit/auditwidget.cpp" line="165"/>
        <source>Keys (*.pem)</source>
        <translation>Schlüssel (*.pem)</translation>
    </message>
    <message>
        <location filename="../ui/audit/auditwidget.cpp" line="170"/>
        <source>Passphrase of %1:</source>
        <translation>Passphrase für %1:</translation>
    </message>
    <message>
        <location filename="../ui/audit/auditwidget.cpp" line="194"/>
        <source>&lt;span style=&quot;color:#b3261e&quot;&gt;Cannot read or verify the audit log: %1&lt;/span&gt;</source>
        <translation>&lt;span style=&quot;color:#b3261e&quot;&gt;Das Prüfprotokoll ist nicht les- oder prüfbar: %1&lt;/span&gt;</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/audit/auditwidget.cpp" line="197"/>
        <source>&lt;span style=&quot;color:#1b5e20&quot;&gt;✔ The chain verifies: %n row(s), every version, approval and rule pack as recorded.&lt;/span&gt;</source>
        <translation>
            <numerusform>&lt;span style=&quot;color:#1b5e20&quot;&gt;✔ Die Kette stimmt: %n Zeile, jede Version, Freigabe und jedes Regelpaket wie aufgezeichnet.&lt;/span&gt;</numerusform>
            <numerusform>&lt;span style=&quot;color:#1b5e20&quot;&gt;✔ Die Kette stimmt: %n Zeilen, jede Version, Freigabe und jedes Regelpaket wie aufgezeichnet.&lt;/span&gt;</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/audit/auditwidget.cpp" line="205"/>
        <source>&lt;span style=&quot;color:#b3261e&quot;&gt;✘ The store is broken against its chain: %n row(s) do not follow from the recorded decisions.&lt;/span&gt;</source>
        <translation>
            <numerusform>&lt;span style=&quot;color:#b3261e&quot;&gt;✘ Der Speicher widerspricht seiner Kette: %n Zeile folgt nicht aus den aufgezeichneten Entscheidungen.&lt;/span&gt;</numerusform>
            <numerusform>&lt;span style=&quot;color:#b3261e&quot;&gt;✘ Der Speicher widerspricht seiner Kette: %n Zeilen folgen nicht aus den aufgezeichneten Entscheidungen.&lt;/span&gt;</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/audit/auditwidget.cpp" line="201"/>
        <source>&lt;span style=&quot;color:#b3261e&quot;&gt;✘ The chain is broken at row %1: %2&lt;/span&gt;</source>
        <translation>&lt;span style=&quot;color:#b3261e&quot;&gt;✘ Die Kette ist bei Zeile %1 gebrochen: %2&lt;/span&gt;</translation>
    </message>
</context>
<context>
    <name>l0::ui::AuditWorker</name>
    <message numerus="yes">
        <location filename="../ui/audit/auditwidget.cpp" line="65"/>
        <source>Restored %n row(s) from the chain.</source>
        <translation>
            <numerusform>%n Zeile aus der Kette wiederhergestellt.</numerusform>
            <numerusform>%n Zeilen aus der Kette wiederhergestellt.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/audit/auditwidget.cpp" line="66"/>
        <source> %n row(s) cannot be restored.</source>
        <translation>
            <numerusform> %n Zeile lässt sich nicht wiederherstellen.</numerusform>
            <numerusform> %n Zeilen lassen sich nicht wiederherstellen.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>l0::ui::ConnectDialog</name>
    <message>
        <location filename="../ui/connect/connectdialog.cpp" line="45"/>
        <source>&amp;Remember the password in the system keyring</source>
        <translation>Passwort im Schlüsselbund des Systems &amp;merken</translation>
    </message>
    <message>
        <location filename="../ui/connect/connectdialog.cpp" line="48"/>
        <source>Connect to a store</source>
        <translation>Mit einem Speicher verbinden</translation>
    </message>
    <message>
        <location filename="../ui/connect/connectdialog.cpp" line="50"/>
        <source>Profile</source>
        <translation>Profil</translation>
    </message>
    <message>
        <location filename="../ui/connect/connectdialog.cpp" line="51"/>
        <source>postgresql://user@host:5432/l0  or  sqlite:/path/to/l0.sqlite</source>
        <translation>postgresql://benutzer@host:5432/l0  oder  sqlite:/pfad/zu/l0.sqlite</translation>
    </message>
    <message>
        <location filename="../ui/connect/connectdialog.cpp" line="52"/>
        <source>Store URL</source>
        <translation>Speicher-URL</translation>
    </message>
    <message>
        <location filename="../ui/connect/connectdialog.cpp" line="54"/>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <location filename="../ui/connect/connectdialog.cpp" line="56"/>
        <source>SQLite &amp;file...</source>
        <translation>SQLite-&amp;Datei...</translation>
    </message>
    <message>
        <location filename="../ui/connect/connectdialog.cpp" line="58"/>
        <source>&amp;Connect</source>
        <translation>&amp;Verbinden</translation>
    </message>
    <message>
        <location filename="../ui/connect/connectdialog.cpp" line="60"/>
        <source>&amp;Profile</source>
        <translation>&amp;Profil</translation>
    </message>
    <message>
        <location filename="../ui/connect/connectdialog.cpp" line="64"/>
        <source>&amp;Store</source>
        <translation>&amp;Speicher</translation>
    </message>
    <message>
        <location filename="../ui/connect/connectdialog.cpp" line="65"/>
        <source>Pass&amp;word</source>
        <translation>Pass&amp;wort</translation>
    </message>
    <message>
        <location filename="../ui/connect/connectdialog.cpp" line="71"/>
        <source>Open store</source>
        <translation>Speicher öffnen</translation>
    </message>
    <message>
        <location filename="../ui/connect/connectdialog.cpp" line="71"/>
        <source>SQLite (*.sqlite *.db);;All files (*)</source>
        <translation>SQLite (*.sqlite *.db);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../ui/connect/connectdialog.cpp" line="78"/>
        <source>Give a store URL or choose a SQLite file.</source>
        <translation>Eine Speicher-URL angeben oder eine SQLite-Datei wählen.</translation>
    </message>
    <message>
        <location filename="../ui/connect/connectdialog.cpp" line="137"/>
        <source>The password is not in the system keyring (%1).</source>
        <translation>Das Passwort ist nicht im Schlüsselbund des Systems (%1).</translation>
    </message>
    <message>
        <location filename="../ui/connect/connectdialog.cpp" line="168"/>
        <source>The password could not be stored in the system keyring (%1); it is not stored anywhere else.</source>
        <translation>Das Passwort ließ sich nicht im Schlüsselbund des Systems speichern (%1); es wird nirgends sonst gespeichert.</translation>
    </message>
</context>
<context>
    <name>l0::ui::DashboardWidget</name>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="208"/>
        <source>Saved by the cache</source>
        <translation>Vom Cache gespart</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="209"/>
        <source>Saved by routing</source>
        <translation>Durch Routing gespart</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="242"/>
        <source>Routed misses: model asked for and model used</source>
        <translation>Geroutete Fehlzugriffe: angefragtes und verwendetes Modell</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="603"/>
        <source>What the cache hits would have cost at the requested models&apos; prices: %1 hits.</source>
        <translation>Was die Cache-Treffer zu den Preisen der angefragten Modelle gekostet hätten: %1 Treffer.</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="607"/>
        <source>Routed misses (route policies, set with &apos;l0ctl tenant set-route&apos;): the requested model&apos;s price minus what was paid, a cascade&apos;s rejected cheaper answer included: %1 requests.</source>
        <translation>Geroutete Fehlzugriffe (Routing-Regeln, gesetzt mit &apos;l0ctl tenant set-route&apos;): der Preis des angefragten Modells abzüglich des Bezahlten, die verworfene günstigere Antwort einer Kaskade eingeschlossen: %1 Anfragen.</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="762"/>
        <source>asked for</source>
        <translation>angefragt</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="763"/>
        <source>answered by</source>
        <translation>beantwortet von</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="775"/>
        <source>no routed requests</source>
        <translation>keine gerouteten Anfragen</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="47"/>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="49"/>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="50"/>
        <source>%1 h</source>
        <translation>%1 h</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="102"/>
        <source>v%1  %2  risk %3  by %4, %5</source>
        <translation>v%1  %2  Risiko %3  von %4, %5</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="107"/>
        <source>; decided by %1, %2</source>
        <translation>; entschieden von %1, %2</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="143"/>
        <source>Savings dashboard</source>
        <translation>Einsparungen</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="146"/>
        <source>Monthly budgets</source>
        <translation>Monatsbudgets</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="147"/>
        <source>Set with: l0ctl tenant set-budget NAME --budget DOLLARS</source>
        <translation>Festlegen mit: l0ctl tenant set-budget NAME --budget DOLLAR</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="151"/>
        <source>Last 24 hours</source>
        <translation>Letzte 24 Stunden</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="152"/>
        <source>Last 7 days</source>
        <translation>Letzte 7 Tage</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="153"/>
        <source>Last 30 days</source>
        <translation>Letzte 30 Tage</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="154"/>
        <source>Custom range</source>
        <translation>Eigener Zeitraum</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="156"/>
        <source>Range</source>
        <translation>Zeitraum</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="162"/>
        <source>From</source>
        <translation>Von</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="163"/>
        <source>To</source>
        <translation>Bis</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="165"/>
        <source>%1 (this computer)</source>
        <translation>%1 (dieser Computer)</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="171"/>
        <source>Time zone</source>
        <translation>Zeitzone</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="172"/>
        <source>All tenants</source>
        <translation>Alle Mandanten</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="173"/>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="249"/>
        <source>Tenant</source>
        <translation>Mandant</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="176"/>
        <source>tenant</source>
        <translation>Mandant</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="177"/>
        <source>namespace</source>
        <translation>Namensraum</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="177"/>
        <source>model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="178"/>
        <source>tier</source>
        <translation>Stufe</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="178"/>
        <source>intent</source>
        <translation>Absicht</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="179"/>
        <source>By %1</source>
        <translation>Nach %1</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="181"/>
        <source>Break down by</source>
        <translation>Aufschlüsseln nach</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="182"/>
        <source>&amp;Refresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="184"/>
        <source>Read the ledger again (F5)</source>
        <translation>Das Kostenbuch neu lesen (F5)</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="185"/>
        <source>Export &amp;CSV...</source>
        <translation>&amp;CSV exportieren...</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="186"/>
        <source>Export &amp;charts...</source>
        <translation>&amp;Diagramme exportieren...</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="207"/>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="246"/>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="249"/>
        <source>Saved</source>
        <translation>Eingespart</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="210"/>
        <source>Saved after hit fees</source>
        <translation>Eingespart nach Trefferentgelten</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="211"/>
        <source>Hit fees (operator revenue)</source>
        <translation>Trefferentgelte (Einnahmen des Betreibers)</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="212"/>
        <source>Cost: baseline → actual</source>
        <translation>Kosten: ohne Cache → tatsächlich</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="213"/>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="246"/>
        <source>Hit rate</source>
        <translation>Trefferquote</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="214"/>
        <source>Time saved</source>
        <translation>Gesparte Zeit</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="215"/>
        <source>Review backlog</source>
        <translation>Offene Prüfungen</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="216"/>
        <source>Shadow: would have saved</source>
        <translation>Schattenmodus: hätte gespart</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="217"/>
        <source>Unpriced requests</source>
        <translation>Anfragen ohne Preis</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="238"/>
        <source>Cost over time by model, with the cost without the cache</source>
        <translation>Kosten im Zeitverlauf nach Modell, mit den Kosten ohne Cache</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="239"/>
        <source>Hit rate by tier</source>
        <translation>Trefferquote nach Stufe</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="240"/>
        <source>Model mix (requests)</source>
        <translation>Modellmix (Anfragen)</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="246"/>
        <source>Group</source>
        <translation>Gruppe</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="246"/>
        <source>Requests</source>
        <translation>Anfragen</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="246"/>
        <source>Unpriced</source>
        <translation>Ohne Preis</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="246"/>
        <source>Hit fees</source>
        <translation>Trefferentgelte</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="249"/>
        <source>Entry</source>
        <translation>Eintrag</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="249"/>
        <source>Tier / intent</source>
        <translation>Stufe / Absicht</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="249"/>
        <source>Hits</source>
        <translation>Treffer</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="249"/>
        <source>Query</source>
        <translation>Anfrage</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="252"/>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="255"/>
        <source>Day (UTC)</source>
        <translation>Tag (UTC)</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="252"/>
        <source>Reviewer</source>
        <translation>Prüfer</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="252"/>
        <source>Approved</source>
        <translation>Freigegeben</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="252"/>
        <source>Rejected</source>
        <translation>Abgelehnt</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="252"/>
        <source>Undone</source>
        <translation>Zurückgenommen</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="252"/>
        <source>Edits withdrawn</source>
        <translation>Bearbeitungen zurückgezogen</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="253"/>
        <source>Decisions per reviewer and day</source>
        <translation>Entscheidungen je Prüfer und Tag</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="255"/>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="255"/>
        <source>Rejections</source>
        <translation>Ablehnungen</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="256"/>
        <source>Rejection reasons over time</source>
        <translation>Ablehnungsgründe im Zeitverlauf</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="259"/>
        <source>Queue health</source>
        <translation>Zustand der Warteschlange</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="276"/>
        <source>Savings by group</source>
        <translation>Einsparungen nach Gruppe</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="277"/>
        <source>Top entries by savings; press Enter for the entry&apos;s review history</source>
        <translation>Einträge mit den größten Einsparungen; Eingabetaste zeigt den Prüfverlauf des Eintrags</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="278"/>
        <source>Double-click or press Enter for the entry&apos;s review history</source>
        <translation>Doppelklick oder Eingabetaste zeigt den Prüfverlauf des Eintrags</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="284"/>
        <source>&lt;b&gt;Savings by group&lt;/b&gt;</source>
        <translation>&lt;b&gt;Einsparungen nach Gruppe&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="299"/>
        <source>&lt;b&gt;Review queue health&lt;/b&gt;</source>
        <translation>&lt;b&gt;Zustand der Prüfwarteschlange&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="307"/>
        <source>&lt;b&gt;Top entries by savings&lt;/b&gt;</source>
        <translation>&lt;b&gt;Einträge mit den größten Einsparungen&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="313"/>
        <source>Savings charts and tables</source>
        <translation>Diagramme und Tabellen der Einsparungen</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="392"/>
        <source>&lt;b&gt;%1&lt;/b&gt;: %2 of %3 this month</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;: %2 von %3 in diesem Monat</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="395"/>
        <source>, on course for %1</source>
        <translation>, auf Kurs zu %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="397"/>
        <source>, and %n unpriced request(s) whose cost is unknown</source>
        <translation>
            <numerusform>, und %n Anfrage ohne Preis, deren Kosten unbekannt sind</numerusform>
            <numerusform>, und %n Anfragen ohne Preis, deren Kosten unbekannt sind</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="399"/>
        <source>&lt;span style=&quot;color:#b3261e&quot;&gt;⚠ Over budget: %1&lt;/span&gt;</source>
        <translation>&lt;span style=&quot;color:#b3261e&quot;&gt;⚠ Budget überschritten: %1&lt;/span&gt;</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="401"/>
        <source>&lt;span style=&quot;color:#8a5a00&quot;&gt;⚠ Budget warning: %1&lt;/span&gt;</source>
        <translation>&lt;span style=&quot;color:#8a5a00&quot;&gt;⚠ Budgetwarnung: %1&lt;/span&gt;</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="423"/>
        <source>&lt;i&gt;The queue&apos;s health cannot be read: %1&lt;/i&gt;</source>
        <translation>&lt;i&gt;Der Zustand der Warteschlange ist nicht lesbar: %1&lt;/i&gt;</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="430"/>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="431"/>
        <source>%1 · p50 %2 · p95 %3 · oldest %4</source>
        <translation>%1 · p50 %2 · p95 %3 · älteste %4</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="435"/>
        <source>none in this range</source>
        <translation>keine in diesem Zeitraum</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="436"/>
        <source>p50 %1 · p95 %2 (%3 versions)</source>
        <translation>p50 %1 · p95 %2 (%3 Versionen)</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="442"/>
        <source> &lt;span style=&quot;color:#b3261e&quot;&gt;(%n entries unpriced, not counted)&lt;/span&gt;</source>
        <translation>
            <numerusform> &lt;span style=&quot;color:#b3261e&quot;&gt;(%n Eintrag ohne Preis, nicht gezählt)&lt;/span&gt;</numerusform>
            <numerusform> &lt;span style=&quot;color:#b3261e&quot;&gt;(%n Einträge ohne Preis, nicht gezählt)&lt;/span&gt;</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="444"/>
        <source>&lt;table cellspacing=&quot;2&quot;&gt;&lt;tr&gt;&lt;td&gt;Needs review&lt;/td&gt;&lt;td&gt;%1&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Needs second approval&lt;/td&gt;&lt;td&gt;%2&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Being reviewed now&lt;/td&gt;&lt;td&gt;%3&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Filed → decided&lt;/td&gt;&lt;td&gt;%4&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Filed → first served&lt;/td&gt;&lt;td&gt;%5&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Demand waiting on review&lt;/td&gt;&lt;td&gt;%6 % (%7 of %8 requests)&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Would-be savings in the queue&lt;/td&gt;&lt;td&gt;%9&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;</source>
        <translation>&lt;table cellspacing=&quot;2&quot;&gt;&lt;tr&gt;&lt;td&gt;Zu prüfen&lt;/td&gt;&lt;td&gt;%1&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Zweite Freigabe nötig&lt;/td&gt;&lt;td&gt;%2&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Wird gerade geprüft&lt;/td&gt;&lt;td&gt;%3&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Eingereicht → entschieden&lt;/td&gt;&lt;td&gt;%4&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Eingereicht → erstmals ausgeliefert&lt;/td&gt;&lt;td&gt;%5&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Nachfrage, die auf Prüfung wartet&lt;/td&gt;&lt;td&gt;%6 % (%7 von %8 Anfragen)&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Mögliche Einsparung in der Warteschlange&lt;/td&gt;&lt;td&gt;%9&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="457"/>
        <source>Oldest waiting: %1</source>
        <translation>Älteste wartet seit: %1</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="575"/>
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="594"/>
        <source>Cannot read the ledger: %1</source>
        <translation>Das Kostenbuch ist nicht lesbar: %1</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="611"/>
        <source>What the cache saved the tenants once the operator&apos;s per-hit fees are paid.</source>
        <translation>Was der Cache den Mandanten nach Abzug der Trefferentgelte des Betreibers eingespart hat.</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="614"/>
        <source>Per-hit fees charged on cache hits (set per tenant with &apos;l0ctl tenant set-fee&apos;): the operator&apos;s revenue, apart from model costs.</source>
        <translation>Entgelte je Cache-Treffer (je Mandant mit &apos;l0ctl tenant set-fee&apos; festgelegt): die Einnahmen des Betreibers, getrennt von den Modellkosten.</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="616"/>
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="626"/>
        <source>Shadow-mode tenants are answered upstream; this is what the cache would have saved them. It is not part of &quot;Saved&quot;.</source>
        <translation>Mandanten im Schattenmodus werden vom Anbieter beantwortet; so viel hätte der Cache ihnen gespart. Das zählt nicht zu „Eingespart“.</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="632"/>
        <source>Requests to models without a price: their cost is unknown, not $0. Add prices to count them.</source>
        <translation>Anfragen an Modelle ohne Preis: Ihre Kosten sind unbekannt, nicht 0 $. Preise ergänzen, um sie zu zählen.</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="633"/>
        <source>Every request was priced.</source>
        <translation>Jede Anfrage hatte einen Preis.</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="654"/>
        <source>without the cache</source>
        <translation>ohne Cache</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="726"/>
        <source>L0 (intent)</source>
        <translation>L0 (Absicht)</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="747"/>
        <source> (unpriced)</source>
        <translation> (ohne Preis)</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="789"/>
        <source>(none)</source>
        <translation>(keine)</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="816"/>
        <source>Updated %1</source>
        <translation>Aktualisiert %1</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="825"/>
        <source>Entry %1: review history</source>
        <translation>Eintrag %1: Prüfverlauf</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="828"/>
        <source>Cannot read the history: %1</source>
        <translation>Der Verlauf ist nicht lesbar: %1</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="829"/>
        <source>Review history</source>
        <translation>Prüfverlauf</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="849"/>
        <source>cannot write %1</source>
        <translation>%1 kann nicht geschrieben werden</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="859"/>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="864"/>
        <source>Export CSV</source>
        <translation>CSV exportieren</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="859"/>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="864"/>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="869"/>
        <source>Export charts as PNG into</source>
        <translation>Diagramme als PNG exportieren nach</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="874"/>
        <source>Export charts</source>
        <translation>Diagramme exportieren</translation>
    </message>
</context>
<context>
    <name>l0::ui::DiffOverview</name>
    <message>
        <location filename="../ui/review/diffoverview.cpp" line="14"/>
        <source>Where the changes are; click to go to one</source>
        <translation>Wo die Änderungen liegen; ein Klick springt hin</translation>
    </message>
    <message>
        <location filename="../ui/review/diffoverview.cpp" line="15"/>
        <source>Overview of the changes</source>
        <translation>Übersicht der Änderungen</translation>
    </message>
</context>
<context>
    <name>l0::ui::ExperimentPanel</name>
    <message>
        <location filename="../ui/dashboard/experimentpanel.cpp" line="49"/>
        <location filename="../ui/dashboard/experimentpanel.cpp" line="68"/>
        <source>Running experiments</source>
        <translation>Laufende Experimente</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/experimentpanel.cpp" line="50"/>
        <source>Started with: l0ctl experiment create NAME --tenant T --arm A=POLICY --arm B=POLICY; full figures with: l0ctl experiment report NAME</source>
        <translation>Gestartet mit: l0ctl experiment create NAME --tenant T --arm A=POLICY --arm B=POLICY; alle Zahlen mit: l0ctl experiment report NAME</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/experimentpanel.cpp" line="58"/>
        <source>Experiments cannot be read: %1</source>
        <translation>Experimente können nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/experimentpanel.cpp" line="69"/>
        <source>95% intervals in brackets; each arm against the first, ★ p &lt; 0.05</source>
        <translation>95-%-Intervalle in Klammern; jeder Zweig gegen den ersten, ★ p &lt; 0,05</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/experimentpanel.cpp" line="74"/>
        <source>tenant %1, since %2</source>
        <translation>Mandant %1, seit %2</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/experimentpanel.cpp" line="80"/>
        <source>Arm</source>
        <translation>Zweig</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/experimentpanel.cpp" line="80"/>
        <source>Policy</source>
        <translation>Regel</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/experimentpanel.cpp" line="80"/>
        <source>Share</source>
        <translation>Anteil</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/experimentpanel.cpp" line="80"/>
        <source>Requests</source>
        <translation>Anfragen</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/experimentpanel.cpp" line="80"/>
        <source>Cost / request</source>
        <translation>Kosten je Anfrage</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/experimentpanel.cpp" line="81"/>
        <source>Hit rate</source>
        <translation>Trefferquote</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/experimentpanel.cpp" line="81"/>
        <source>p95 latency</source>
        <translation>p95-Latenz</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/experimentpanel.cpp" line="81"/>
        <source>Good feedback</source>
        <translation>Gutes Feedback</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/experimentpanel.cpp" line="81"/>
        <source>Cost vs first</source>
        <translation>Kosten gegen ersten</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/experimentpanel.cpp" line="81"/>
        <source>Hit rate vs first</source>
        <translation>Trefferquote gegen ersten</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/experimentpanel.cpp" line="104"/>
        <source>%1 unpriced</source>
        <translation>%1 ohne Preis</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/experimentpanel.cpp" line="106"/>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/experimentpanel.cpp" line="112"/>
        <source>of %1</source>
        <translation>von %1</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/experimentpanel.cpp" line="113"/>
        <source>no feedback</source>
        <translation>kein Feedback</translation>
    </message>
</context>
<context>
    <name>l0::ui::FindingsView</name>
    <message>
        <location filename="../ui/review/findingsview.cpp" line="70"/>
        <source>Safety findings</source>
        <translation>Sicherheitsbefunde</translation>
    </message>
    <message>
        <location filename="../ui/review/findingsview.cpp" line="72"/>
        <source>Detector</source>
        <translation>Detektor</translation>
    </message>
    <message>
        <location filename="../ui/review/findingsview.cpp" line="72"/>
        <source>Severity</source>
        <translation>Schwere</translation>
    </message>
    <message>
        <location filename="../ui/review/findingsview.cpp" line="72"/>
        <source>Score</source>
        <translation>Wert</translation>
    </message>
    <message>
        <location filename="../ui/review/findingsview.cpp" line="72"/>
        <source>Evidence</source>
        <translation>Beleg</translation>
    </message>
    <message>
        <location filename="../ui/review/findingsview.cpp" line="72"/>
        <source>Message</source>
        <translation>Meldung</translation>
    </message>
    <message>
        <location filename="../ui/review/findingsview.cpp" line="80"/>
        <source>Click a header to sort; choose a finding to highlight its evidence in the answer</source>
        <translation>Spaltenkopf anklicken zum Sortieren; ein Befund markiert seinen Beleg in der Antwort</translation>
    </message>
    <message>
        <location filename="../ui/review/findingsview.cpp" line="81"/>
        <source>Filter findings</source>
        <translation>Befunde filtern</translation>
    </message>
    <message>
        <location filename="../ui/review/findingsview.cpp" line="82"/>
        <source>Filter safety findings by detector, severity or text</source>
        <translation>Sicherheitsbefunde nach Detektor, Schwere oder Text filtern</translation>
    </message>
    <message>
        <location filename="../ui/review/findingsview.cpp" line="86"/>
        <source>&lt;b&gt;Safety findings&lt;/b&gt;</source>
        <translation>&lt;b&gt;Sicherheitsbefunde&lt;/b&gt;</translation>
    </message>
</context>
<context>
    <name>l0::ui::MainWindow</name>
    <message>
        <location filename="../ui/mainwindow.cpp" line="42"/>
        <source>L0 Cache Console</source>
        <translation>L0-Cache-Konsole</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="43"/>
        <source>Review &amp;queue</source>
        <translation>Prüf&amp;warteschlange</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="44"/>
        <source>&amp;Savings</source>
        <translation>&amp;Einsparungen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="45"/>
        <source>&amp;Audit</source>
        <translation>&amp;Protokoll</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="46"/>
        <source>Rule &amp;bench</source>
        <translation>&amp;Regelbank</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="49"/>
        <source>Not connected: File &gt; Connect (Ctrl+Shift+O) or Open SQLite store (Ctrl+O)</source>
        <translation>Nicht verbunden: Datei &gt; Verbinden (Strg+Umschalt+O) oder SQLite-Speicher öffnen (Strg+O)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="51"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="52"/>
        <source>&amp;Open SQLite store...</source>
        <translation>SQLite-Speicher ö&amp;ffnen...</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="56"/>
        <source>Open store</source>
        <translation>Speicher öffnen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="56"/>
        <source>SQLite (*.sqlite *.db);;All files (*)</source>
        <translation>SQLite (*.sqlite *.db);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="60"/>
        <source>&amp;Connect...</source>
        <translation>&amp;Verbinden...</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="63"/>
        <source>Load reviewer &amp;key...</source>
        <translation>Prüfer&amp;schlüssel laden...</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="66"/>
        <source>&amp;Refresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="69"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="124"/>
        <source>Connecting to %1…</source>
        <translation>Verbindung zu %1…</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="151"/>
        <source>Error: %1</source>
        <translation>Fehler: %1</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="159"/>
        <source>Reviewing needs the reviewer role; managers see savings.</source>
        <translation>Prüfen braucht die Prüferrolle; Manager sehen die Einsparungen.</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="180"/>
        <source>Savings of %1 (manager: reviewing is not open to this login)</source>
        <translation>Einsparungen von %1 (Manager: Prüfen ist für diese Anmeldung nicht offen)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="184"/>
        <source>Connected to %1</source>
        <translation>Verbunden mit %1</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="190"/>
        <source>Your reviewer key</source>
        <translation>Ihr Prüferschlüssel</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="190"/>
        <source>Private keys (*.pem *.key);;All files (*)</source>
        <translation>Private Schlüssel (*.pem *.key);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="195"/>
        <location filename="../ui/mainwindow.cpp" line="200"/>
        <location filename="../ui/mainwindow.cpp" line="218"/>
        <source>Reviewer key</source>
        <translation>Prüferschlüssel</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="195"/>
        <source>Passphrase of %1:</source>
        <translation>Passphrase für %1:</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="200"/>
        <source>Cannot use this key: %1</source>
        <translation>Dieser Schlüssel ist nicht verwendbar: %1</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="218"/>
        <source>This key belongs to no registered reviewer.</source>
        <translation>Dieser Schlüssel gehört keinem eingetragenen Prüfer.</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="223"/>
        <source>Reviewing as %1</source>
        <translation>Prüfen als %1</translation>
    </message>
</context>
<context>
    <name>l0::ui::ReviewWidget</name>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="67"/>
        <source>&amp;Mine (M)</source>
        <translation>&amp;Meine (M)</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="76"/>
        <source>&amp;Blind A/B (B)</source>
        <translation>B&amp;linder A/B-Vergleich (B)</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="78"/>
        <source>Prefer A ([)</source>
        <translation>A vorziehen ([)</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="79"/>
        <source>Prefer B (])</source>
        <translation>B vorziehen (])</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="94"/>
        <source>Key 5: queries that came close to an approved entry. A: same question (served as that entry), R: not the same</source>
        <translation>Taste 5: Anfragen, die einem freigegebenen Eintrag nahe kamen. A: gleiche Frage (wird wie dieser Eintrag beantwortet), R: nicht dieselbe</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="101"/>
        <source>Lanes</source>
        <translation>Spuren</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="102"/>
        <source>Search queries and tenants (/)</source>
        <translation>Anfragen und Mandanten suchen (/)</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="103"/>
        <source>Search</source>
        <translation>Suche</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="104"/>
        <source>By demand</source>
        <translation>Nach Nachfrage</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="104"/>
        <source>By would-be savings</source>
        <translation>Nach möglicher Einsparung</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="104"/>
        <source>Newest first</source>
        <translation>Neueste zuerst</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="104"/>
        <source>By risk</source>
        <translation>Nach Risiko</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="105"/>
        <source>Sort order</source>
        <translation>Sortierung</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="106"/>
        <source>Sort the queue (O)</source>
        <translation>Die Warteschlange sortieren (O)</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="108"/>
        <source>Items listed in this lane, of all it holds</source>
        <translation>Aufgeführte Einträge dieser Spur, von allen, die sie enthält</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="113"/>
        <source>Entry</source>
        <translation>Eintrag</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="113"/>
        <source>Risk</source>
        <translation>Risiko</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="113"/>
        <source>Would save</source>
        <translation>Würde sparen</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="113"/>
        <source>Tenant</source>
        <translation>Mandant</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="113"/>
        <source>Demand</source>
        <translation>Nachfrage</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="113"/>
        <source>Query</source>
        <translation>Anfrage</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="115"/>
        <source>Demand × the cost of answering once upstream: what approving it would save at today&apos;s demand</source>
        <translation>Nachfrage × Kosten einer Antwort beim Anbieter: so viel spart die Freigabe bei heutiger Nachfrage</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="141"/>
        <source>Review queue</source>
        <translation>Prüfwarteschlange</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="147"/>
        <source>Answer under review, findings highlighted</source>
        <translation>Zu prüfende Antwort, Befunde hervorgehoben</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="148"/>
        <source>Changes against the live approved version</source>
        <translation>Änderungen gegenüber der gültigen freigegebenen Version</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="149"/>
        <source>Review status</source>
        <translation>Prüfstatus</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="150"/>
        <source>Blind A/B comparison</source>
        <translation>Blinder A/B-Vergleich</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="151"/>
        <source>Compare two candidates as A and B in random order, without their models</source>
        <translation>Zwei Kandidaten als A und B in zufälliger Reihenfolge vergleichen, ohne ihre Modelle</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="154"/>
        <source>Prefer candidate A</source>
        <translation>Kandidat A vorziehen</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="155"/>
        <source>Prefer candidate B</source>
        <translation>Kandidat B vorziehen</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="173"/>
        <source>&lt;b&gt;Answer&lt;/b&gt;</source>
        <translation>&lt;b&gt;Antwort&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="193"/>
        <source>&amp;Undo (U)</source>
        <translation>&amp;Rückgängig (U)</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="331"/>
        <source>Same question?</source>
        <translation>Gleiche Frage?</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="473"/>
        <source>A  approve (signed with your key)
R  reject (a reason is required; digits pick it; it can requeue the text for an edit or another model&apos;s answer instead of removing it)
S  skip to the next item
U  undo your decisions, newest first (each for 10 minutes)
E  edit: your text becomes a new version someone else approves
D  diff: inline or side by side
N / P  next / previous change in the diff
C  compare with the approved version or another candidate (A/B)
B  blind A/B: random sides, models hidden
[ / ]  prefer A / prefer B: approve one, reject the other
J / K  next / previous item
1 2 3 4  lanes: needs review, needs second approval, approved, rejected
5  same question? (alias proposals: A same question, R not the same)
/  search
M  only mine
O  sort: demand, would-be savings, newest, risk
F5  refresh
?  this list</source>
        <translation>A  freigeben (mit Ihrem Schlüssel signiert)
R  ablehnen (ein Grund ist nötig; Ziffern wählen ihn; statt zu entfernen, kann der Text zur Bearbeitung oder für die Antwort eines anderen Modells zurückgestellt werden)
S  zum nächsten Eintrag springen
U  Ihre Entscheidungen zurücknehmen, die neueste zuerst (je 10 Minuten lang)
E  bearbeiten: Ihr Text wird eine neue Version, die jemand anderes freigibt
D  Unterschiede: fortlaufend oder nebeneinander
N / P  nächste / vorherige Änderung
C  mit der freigegebenen Version oder einem anderen Kandidaten vergleichen (A/B)
B  blinder A/B-Vergleich: zufällige Seiten, Modelle verborgen
[ / ]  A / B vorziehen: einen freigeben, den anderen ablehnen
J / K  nächster / vorheriger Eintrag
1 2 3 4  Spuren: zu prüfen, zweite Freigabe nötig, freigegeben, abgelehnt
5  gleiche Frage? (Alias-Vorschläge: A gleiche Frage, R nicht dieselbe)
/  suchen
M  nur meine
O  sortieren: Nachfrage, mögliche Einsparung, neueste, Risiko
F5  aktualisieren
?  diese Liste</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="554"/>
        <source>The store is back</source>
        <translation>Der Speicher ist wieder da</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="573"/>
        <source>unpriced</source>
        <translation>ohne Preis</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="746"/>
        <source> · model %1</source>
        <translation> · Modell %1</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="751"/>
        <source>&lt;br&gt;&lt;i&gt;Blind second review: who approved first is shown after your decision.&lt;/i&gt;</source>
        <translation>&lt;br&gt;&lt;i&gt;Blinde Zweitprüfung: wer zuerst freigegeben hat, sehen Sie nach Ihrer Entscheidung.&lt;/i&gt;</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/review/reviewwidget.cpp" line="753"/>
        <source>&lt;br&gt;%n other candidate(s) for this entry: C compares them.</source>
        <translation>
            <numerusform>&lt;br&gt;%n weiterer Kandidat für diesen Eintrag: C vergleicht.</numerusform>
            <numerusform>&lt;br&gt;%n weitere Kandidaten für diesen Eintrag: C vergleicht sie.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="755"/>
        <source>&lt;br&gt;History: hidden during blind A/B</source>
        <translation>&lt;br&gt;Verlauf: verborgen während des blinden A/B-Vergleichs</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="797"/>
        <source>No other candidate for this entry</source>
        <translation>Kein anderer Kandidat für diesen Eintrag</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="805"/>
        <source>Compare two candidates first (C)</source>
        <translation>Zuerst zwei Kandidaten vergleichen (C)</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="821"/>
        <source>Undoing…</source>
        <translation>Wird zurückgenommen…</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="825"/>
        <source>Nothing to undo</source>
        <translation>Nichts zurückzunehmen</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="875"/>
        <location filename="../ui/review/reviewwidget.cpp" line="897"/>
        <source>&lt;b&gt;Changes against the approved version&lt;/b&gt;</source>
        <translation>&lt;b&gt;Änderungen gegenüber der freigegebenen Version&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="1017"/>
        <source>Remove it from the queue</source>
        <translation>Aus der Warteschlange entfernen</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="1019"/>
        <source>Requeue it for an edit (a copy waits for someone to fix it)</source>
        <translation>Zur Bearbeitung zurückstellen (eine Kopie wartet, bis jemand sie korrigiert)</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="1021"/>
        <source>Requeue it for another model&apos;s answer (a copy waits to be compared)</source>
        <translation>Für die Antwort eines anderen Modells zurückstellen (eine Kopie wartet auf den Vergleich)</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="1022"/>
        <source>After rejecting</source>
        <translation>Nach dem Ablehnen</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="1024"/>
        <source>Note for the author</source>
        <translation>Notiz für den Autor</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="1034"/>
        <source>&amp;Then</source>
        <translation>&amp;Danach</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="1045"/>
        <source>%1@%2 %3 · U undoes</source>
        <translation>%1@%2 %3 · U nimmt es zurück</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="190"/>
        <source>&amp;Approve (A)</source>
        <translation>&amp;Freigeben (A)</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="191"/>
        <source>&amp;Reject (R)</source>
        <translation>&amp;Ablehnen (R)</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="192"/>
        <source>&amp;Skip (S)</source>
        <translation>Ü&amp;berspringen (S)</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="194"/>
        <source>Keys (?)</source>
        <translation>Tasten (?)</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="255"/>
        <location filename="../ui/review/reviewwidget.cpp" line="271"/>
        <source>Keys</source>
        <translation>Tasten</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="292"/>
        <source>Only items you are reviewing</source>
        <translation>Nur Einträge, die Sie prüfen</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="519"/>
        <source>Refused: %1</source>
        <translation>Abgelehnt: %1</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="548"/>
        <source>Cannot read the queue: %1</source>
        <translation>Die Warteschlange ist nicht lesbar: %1</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="663"/>
        <source>Cannot open %1@%2: %3</source>
        <translation>%1@%2 lässt sich nicht öffnen: %3</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="739"/>
        <source>&lt;b&gt;%1@%2&lt;/b&gt; · %3 · tenant %4 · risk &lt;b&gt;%5&lt;/b&gt; · %6 of %7 approvals</source>
        <translation>&lt;b&gt;%1@%2&lt;/b&gt; · %3 · Mandant %4 · Risiko &lt;b&gt;%5&lt;/b&gt; · %6 von %7 Freigaben</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="748"/>
        <source>&lt;br&gt;&lt;span style=&quot;color:#b3261e&quot;&gt;Being reviewed by %1: read only&lt;/span&gt;</source>
        <translation>&lt;br&gt;&lt;span style=&quot;color:#b3261e&quot;&gt;Wird von %1 geprüft: nur lesen&lt;/span&gt;</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="754"/>
        <source>&lt;br&gt;Queries: %1</source>
        <translation>&lt;br&gt;Anfragen: %1</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="756"/>
        <source>&lt;br&gt;History: %1</source>
        <translation>&lt;br&gt;Verlauf: %1</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="877"/>
        <source>&lt;i&gt;No approved version to compare with: this answer is new.&lt;/i&gt;</source>
        <translation>&lt;i&gt;Keine freigegebene Version zum Vergleich: diese Antwort ist neu.&lt;/i&gt;</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="705"/>
        <source>Claimed for you</source>
        <translation>Für Sie reserviert</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="89"/>
        <source>Key %1</source>
        <translation>Taste %1</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="113"/>
        <source>Claimed by</source>
        <translation>Reserviert von</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="116"/>
        <source>Who is reviewing it now (their lease runs out by itself)</source>
        <translation>Wer es gerade prüft (die Reservierung läuft von selbst ab)</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="334"/>
        <source>Needs review</source>
        <translation>Zu prüfen</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="334"/>
        <source>Needs second approval</source>
        <translation>Zweite Freigabe nötig</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="335"/>
        <source>Approved</source>
        <translation>Freigegeben</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="335"/>
        <source>Rejected</source>
        <translation>Abgelehnt</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="332"/>
        <location filename="../ui/review/reviewwidget.cpp" line="339"/>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="564"/>
        <source>%1 of %2 listed</source>
        <translation>%1 von %2 aufgeführt</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="576"/>
        <source>&lt;p&gt;%1&lt;/p&gt;&lt;p&gt;%2 · risk %3 · demand %4 · would save %5 · tenant %6%7&lt;/p&gt;</source>
        <translation>&lt;p&gt;%1&lt;/p&gt;&lt;p&gt;%2 · Risiko %3 · Nachfrage %4 · mögliche Einsparung %5 · Mandant %6%7&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="580"/>
        <source> · being reviewed by %1</source>
        <translation> · wird von %1 geprüft</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="705"/>
        <source>Read only</source>
        <translation>Nur lesen</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="809"/>
        <location filename="../ui/review/reviewwidget.cpp" line="929"/>
        <location filename="../ui/review/reviewwidget.cpp" line="969"/>
        <source>Refused: %1 is reviewing this item</source>
        <translation>Abgelehnt: %1 prüft diesen Eintrag</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="878"/>
        <source>&lt;i&gt;No approved version to compare with: C compares the other candidates.&lt;/i&gt;</source>
        <translation>&lt;i&gt;Keine freigegebene Version zum Vergleich: C vergleicht die anderen Kandidaten.&lt;/i&gt;</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="883"/>
        <source>approved v%1</source>
        <translation>freigegeben v%1</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="883"/>
        <source>candidate v%1</source>
        <translation>Kandidat v%1</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="887"/>
        <source>%1: v%2 (%3)</source>
        <translation>%1: v%2 (%3)</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="891"/>
        <source>A</source>
        <translation>A</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="892"/>
        <source>B</source>
        <translation>B</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="893"/>
        <source>&lt;b&gt;Candidate %1 against candidate %2&lt;/b&gt;%3</source>
        <translation>&lt;b&gt;Kandidat %1 gegen Kandidat %2&lt;/b&gt;%3</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="895"/>
        <source> · blind: [ prefers A, ] prefers B</source>
        <translation> · blind: [ zieht A vor, ] zieht B vor</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="921"/>
        <source>No changes to go to</source>
        <translation>Keine Änderungen</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="246"/>
        <source>Change %1 of %2</source>
        <translation>Änderung %1 von %2</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="942"/>
        <source>Edit %1@%2</source>
        <translation>%1@%2 bearbeiten</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="944"/>
        <source>Edited answer</source>
        <translation>Bearbeitete Antwort</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="945"/>
        <source>Your text becomes a new version; another reviewer must approve it.</source>
        <translation>Ihr Text wird eine neue Version; ein anderer Prüfer muss sie freigeben.</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="947"/>
        <source>Submit (Ctrl+Enter)</source>
        <translation>Einreichen (Strg+Eingabe)</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="982"/>
        <source>Refused: a rejection needs a reason (%1)</source>
        <translation>Abgelehnt: eine Ablehnung braucht einen Grund (%1)</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="1004"/>
        <source>Reject %1@%2</source>
        <translation>%1@%2 ablehnen</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="1006"/>
        <source>Choose a reason…</source>
        <translation>Grund wählen…</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="1015"/>
        <source>Rejection reason</source>
        <translation>Ablehnungsgrund</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="1033"/>
        <source>&amp;Reason</source>
        <translation>&amp;Grund</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="1035"/>
        <source>&amp;Note</source>
        <translation>&amp;Notiz</translation>
    </message>
</context>
<context>
    <name>l0::ui::ReviewWorker</name>
    <message>
        <location filename="../ui/review/reviewworker.cpp" line="187"/>
        <source>no such version</source>
        <translation>keine solche Version</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewworker.cpp" line="214"/>
        <source>%1 (×%2)</source>
        <translation>%1 (×%2)</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewworker.cpp" line="230"/>
        <source>v%1 %2 by %3</source>
        <translation>v%1 %2 von %3</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewworker.cpp" line="233"/>
        <source>, decided by %1</source>
        <translation>, entschieden von %1</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewworker.cpp" line="263"/>
        <location filename="../ui/review/reviewworker.cpp" line="284"/>
        <location filename="../ui/review/reviewworker.cpp" line="306"/>
        <location filename="../ui/review/reviewworker.cpp" line="356"/>
        <source>load your reviewer key first (File &gt; Load reviewer key)</source>
        <translation>zuerst den Prüferschlüssel laden (Datei &gt; Prüferschlüssel laden)</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewworker.cpp" line="296"/>
        <source>approved: %1 of %2 approvals</source>
        <translation>freigegeben: %1 von %2 Freigaben</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewworker.cpp" line="48"/>
        <location filename="../ui/review/reviewworker.cpp" line="297"/>
        <source>approved</source>
        <translation>freigegeben</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewworker.cpp" line="46"/>
        <source>pending</source>
        <translation>wartet</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewworker.cpp" line="47"/>
        <source>needs a second approval</source>
        <translation>braucht eine zweite Freigabe</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewworker.cpp" line="49"/>
        <location filename="../ui/review/reviewworker.cpp" line="293"/>
        <source>rejected</source>
        <translation>abgelehnt</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewworker.cpp" line="50"/>
        <source>revoked</source>
        <translation>widerrufen</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewworker.cpp" line="51"/>
        <source>expired</source>
        <translation>abgelaufen</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewworker.cpp" line="59"/>
        <source>low</source>
        <translation>niedrig</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewworker.cpp" line="60"/>
        <source>medium</source>
        <translation>mittel</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewworker.cpp" line="61"/>
        <source>high</source>
        <translation>hoch</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewworker.cpp" line="274"/>
        <source>rejected and requeued for an edit as v%1</source>
        <translation>abgelehnt und zur Bearbeitung als v%1 zurückgestellt</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewworker.cpp" line="275"/>
        <source>rejected and requeued for another model&apos;s answer as v%1</source>
        <translation>abgelehnt und für die Antwort eines anderen Modells als v%1 zurückgestellt</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewworker.cpp" line="334"/>
        <source>v%1 preferred over v%2: %3</source>
        <translation>v%1 vor v%2 vorgezogen: %3</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewworker.cpp" line="352"/>
        <source>your edit %1@%2 was withdrawn</source>
        <translation>Ihre Bearbeitung %1@%2 wurde zurückgezogen</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewworker.cpp" line="366"/>
        <source>decision on %1@%2 withdrawn: %3, %4 of %5 approvals</source>
        <translation>Entscheidung zu %1@%2 zurückgenommen: %3, %4 von %5 Freigaben</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewworker.cpp" line="390"/>
        <source>edited: version %1 waits for another reviewer</source>
        <translation>bearbeitet: Version %1 wartet auf einen anderen Prüfer</translation>
    </message>
</context>
<context>
    <name>l0::ui::RuleBenchWidget</name>
    <message>
        <location filename="../ui/rules/rulebenchwidget.cpp" line="108"/>
        <source>Tenant</source>
        <translation>Mandant</translation>
    </message>
    <message>
        <location filename="../ui/rules/rulebenchwidget.cpp" line="109"/>
        <source>(default namespace)</source>
        <translation>(Standard-Namensraum)</translation>
    </message>
    <message>
        <location filename="../ui/rules/rulebenchwidget.cpp" line="110"/>
        <source>Namespace</source>
        <translation>Namensraum</translation>
    </message>
    <message>
        <location filename="../ui/rules/rulebenchwidget.cpp" line="111"/>
        <source>Type a query and press Enter</source>
        <translation>Anfrage eingeben und Eingabetaste drücken</translation>
    </message>
    <message>
        <location filename="../ui/rules/rulebenchwidget.cpp" line="112"/>
        <source>Query</source>
        <translation>Anfrage</translation>
    </message>
    <message>
        <location filename="../ui/rules/rulebenchwidget.cpp" line="116"/>
        <source>Result</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <location filename="../ui/rules/rulebenchwidget.cpp" line="118"/>
        <source>Normalization steps</source>
        <translation>Normalisierungsschritte</translation>
    </message>
    <message>
        <location filename="../ui/rules/rulebenchwidget.cpp" line="122"/>
        <source>&amp;Explain</source>
        <translation>&amp;Erklären</translation>
    </message>
    <message>
        <location filename="../ui/rules/rulebenchwidget.cpp" line="124"/>
        <source>&amp;Tenant</source>
        <translation>&amp;Mandant</translation>
    </message>
    <message>
        <location filename="../ui/rules/rulebenchwidget.cpp" line="125"/>
        <source>&amp;Namespace</source>
        <translation>&amp;Namensraum</translation>
    </message>
    <message>
        <location filename="../ui/rules/rulebenchwidget.cpp" line="129"/>
        <source>&amp;Query</source>
        <translation>An&amp;frage</translation>
    </message>
    <message>
        <location filename="../ui/rules/rulebenchwidget.cpp" line="174"/>
        <source>&lt;span style=&quot;color:#b3261e&quot;&gt;%1&lt;/span&gt;</source>
        <translation>&lt;span style=&quot;color:#b3261e&quot;&gt;%1&lt;/span&gt;</translation>
    </message>
    <message>
        <location filename="../ui/rules/rulebenchwidget.cpp" line="177"/>
        <source>Pack &lt;b&gt;%1&lt;/b&gt;: </source>
        <translation>Regelpaket &lt;b&gt;%1&lt;/b&gt;: </translation>
    </message>
    <message>
        <location filename="../ui/rules/rulebenchwidget.cpp" line="179"/>
        <source>abstains (no intent is sure enough): the request goes to the exact tier and upstream.</source>
        <translation>enthält sich (keine Absicht ist sicher genug): die Anfrage geht an die exakte Stufe und den Anbieter.</translation>
    </message>
    <message>
        <location filename="../ui/rules/rulebenchwidget.cpp" line="181"/>
        <source>intent &lt;b&gt;%1&lt;/b&gt;, key &lt;code&gt;%2&lt;/code&gt;, </source>
        <translation>Absicht &lt;b&gt;%1&lt;/b&gt;, Schlüssel &lt;code&gt;%2&lt;/code&gt;, </translation>
    </message>
    <message>
        <location filename="../ui/rules/rulebenchwidget.cpp" line="182"/>
        <source>no entry yet: a miss.</source>
        <translation>noch kein Eintrag: ein Fehltreffer.</translation>
    </message>
    <message>
        <location filename="../ui/rules/rulebenchwidget.cpp" line="182"/>
        <source>hits entry &lt;b&gt;%1&lt;/b&gt;.</source>
        <translation>trifft Eintrag &lt;b&gt;%1&lt;/b&gt;.</translation>
    </message>
</context>
<context>
    <name>l0::ui::RuleBenchWorker</name>
    <message>
        <location filename="../ui/rules/rulebenchwidget.cpp" line="69"/>
        <source>tenant %1 has no active rule pack: L0 is off for it</source>
        <translation>Mandant %1 hat kein aktives Regelpaket: L0 ist für ihn aus</translation>
    </message>
</context>
</TS>
