<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>l0::ui::DashboardWidget</name>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="51"/>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="53"/>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="54"/>
        <source>%1 h</source>
        <translation>%1 h</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="115"/>
        <source>v%1  %2  risk %3  by %4, %5</source>
        <translation>v%1  %2  Risiko %3  von %4, %5</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="120"/>
        <source>; decided by %1, %2</source>
        <translation>; entschieden von %1, %2</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="147"/>
        <source>Savings dashboard</source>
        <translation>Einsparungen</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="150"/>
        <source>Last 24 hours</source>
        <translation>Letzte 24 Stunden</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="151"/>
        <source>Last 7 days</source>
        <translation>Letzte 7 Tage</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="152"/>
        <source>Last 30 days</source>
        <translation>Letzte 30 Tage</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="153"/>
        <source>Custom range</source>
        <translation>Eigener Zeitraum</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="155"/>
        <source>Range</source>
        <translation>Zeitraum</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="161"/>
        <source>From</source>
        <translation>Von</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="162"/>
        <source>To</source>
        <translation>Bis</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="164"/>
        <source>%1 (this computer)</source>
        <translation>%1 (dieser Computer)</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="170"/>
        <source>Time zone</source>
        <translation>Zeitzone</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="171"/>
        <source>All tenants</source>
        <translation>Alle Mandanten</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="172"/>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="239"/>
        <source>Tenant</source>
        <translation>Mandant</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="175"/>
        <source>tenant</source>
        <translation>Mandant</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="176"/>
        <source>namespace</source>
        <translation>Namensraum</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="176"/>
        <source>model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="177"/>
        <source>tier</source>
        <translation>Stufe</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="177"/>
        <source>intent</source>
        <translation>Absicht</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="178"/>
        <source>By %1</source>
        <translation>Nach %1</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="180"/>
        <source>Break down by</source>
        <translation>Aufschlüsseln nach</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="181"/>
        <source>&amp;Refresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="183"/>
        <source>Read the ledger again (F5)</source>
        <translation>Das Kostenbuch neu lesen (F5)</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="184"/>
        <source>Export &amp;CSV...</source>
        <translation>&amp;CSV exportieren...</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="185"/>
        <source>Export &amp;charts...</source>
        <translation>&amp;Diagramme exportieren...</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="203"/>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="236"/>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="239"/>
        <source>Saved</source>
        <translation>Eingespart</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="204"/>
        <source>Cost: baseline → actual</source>
        <translation>Kosten: ohne Cache → tatsächlich</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="205"/>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="236"/>
        <source>Hit rate</source>
        <translation>Trefferquote</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="206"/>
        <source>Time saved</source>
        <translation>Gesparte Zeit</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="207"/>
        <source>Review backlog</source>
        <translation>Offene Prüfungen</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="208"/>
        <source>Shadow: would have saved</source>
        <translation>Schattenmodus: hätte gespart</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="209"/>
        <source>Unpriced requests</source>
        <translation>Anfragen ohne Preis</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="230"/>
        <source>Cost over time by model, with the cost without the cache</source>
        <translation>Kosten im Zeitverlauf nach Modell, mit den Kosten ohne Cache</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="231"/>
        <source>Hit rate by tier</source>
        <translation>Trefferquote nach Stufe</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="232"/>
        <source>Model mix (requests)</source>
        <translation>Modellmix (Anfragen)</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="236"/>
        <source>Group</source>
        <translation>Gruppe</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="236"/>
        <source>Requests</source>
        <translation>Anfragen</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="236"/>
        <source>Unpriced</source>
        <translation>Ohne Preis</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="239"/>
        <source>Entry</source>
        <translation>Eintrag</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="239"/>
        <source>Tier / intent</source>
        <translation>Stufe / Absicht</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="239"/>
        <source>Hits</source>
        <translation>Treffer</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="239"/>
        <source>Query</source>
        <translation>Anfrage</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="248"/>
        <source>Savings by group</source>
        <translation>Einsparungen nach Gruppe</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="249"/>
        <source>Top entries by savings; press Enter for the entry&apos;s review history</source>
        <translation>Einträge mit den größten Einsparungen; Eingabetaste zeigt den Prüfverlauf des Eintrags</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="250"/>
        <source>Double-click or press Enter for the entry&apos;s review history</source>
        <translation>Doppelklick oder Eingabetaste zeigt den Prüfverlauf des Eintrags</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="257"/>
        <source>&lt;b&gt;Savings by group&lt;/b&gt;</source>
        <translation>&lt;b&gt;Einsparungen nach Gruppe&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="269"/>
        <source>&lt;b&gt;Top entries by savings&lt;/b&gt;</source>
        <translation>&lt;b&gt;Einträge mit den größten Einsparungen&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="405"/>
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="414"/>
        <source>Cannot read the ledger: %1</source>
        <translation>Das Kostenbuch ist nicht lesbar: %1</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="420"/>
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="427"/>
        <source>Shadow-mode tenants are answered upstream; this is what the cache would have saved them. It is not part of &quot;Saved&quot;.</source>
        <translation>Mandanten im Schattenmodus werden vom Anbieter beantwortet; so viel hätte der Cache ihnen gespart. Das zählt nicht zu „Eingespart“.</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="433"/>
        <source>Requests to models without a price: their cost is unknown, not $0. Add prices to count them.</source>
        <translation>Anfragen an Modelle ohne Preis: Ihre Kosten sind unbekannt, nicht 0 $. Preise ergänzen, um sie zu zählen.</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="434"/>
        <source>Every request was priced.</source>
        <translation>Jede Anfrage hatte einen Preis.</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="455"/>
        <source>without the cache</source>
        <translation>ohne Cache</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="527"/>
        <source>L0 (intent)</source>
        <translation>L0 (Absicht)</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="548"/>
        <source> (unpriced)</source>
        <translation> (ohne Preis)</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="558"/>
        <source>(none)</source>
        <translation>(keine)</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="583"/>
        <source>Updated %1</source>
        <translation>Aktualisiert %1</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="590"/>
        <source>Entry %1: review history</source>
        <translation>Eintrag %1: Prüfverlauf</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="593"/>
        <source>Cannot read the history: %1</source>
        <translation>Der Verlauf ist nicht lesbar: %1</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="594"/>
        <source>Review history</source>
        <translation>Prüfverlauf</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="614"/>
        <source>cannot write %1</source>
        <translation>%1 kann nicht geschrieben werden</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="624"/>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="629"/>
        <source>Export CSV</source>
        <translation>CSV exportieren</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="624"/>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="629"/>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="634"/>
        <source>Export charts as PNG into</source>
        <translation>Diagramme als PNG exportieren nach</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="639"/>
        <source>Export charts</source>
        <translation>Diagramme exportieren</translation>
    </message>
</context>
<context>
    <name>l0::ui::MainWindow</name>
    <message>
        <location filename="../ui/mainwindow.cpp" line="24"/>
        <source>L0 Cache Console</source>
        <translation>L0-Cache-Konsole</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="27"/>
        <source>Entry</source>
        <translation>Eintrag</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="27"/>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="27"/>
        <source>Tenant</source>
        <translation>Mandant</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="27"/>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="27"/>
        <source>Demand</source>
        <translation>Nachfrage</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="27"/>
        <source>Query</source>
        <translation>Anfrage</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="31"/>
        <source>Review queue</source>
        <translation>Prüfwarteschlange</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="32"/>
        <source>Review &amp;queue</source>
        <translation>Prüf&amp;warteschlange</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="33"/>
        <source>&amp;Savings</source>
        <translation>&amp;Einsparungen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="36"/>
        <source>Not connected</source>
        <translation>Nicht verbunden</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="38"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="39"/>
        <source>&amp;Open SQLite store...</source>
        <translation>SQLite-Speicher ö&amp;ffnen...</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="43"/>
        <source>Open store</source>
        <translation>Speicher öffnen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="43"/>
        <source>SQLite (*.sqlite *.db);;All files (*)</source>
        <translation>SQLite (*.sqlite *.db);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="47"/>
        <source>&amp;Refresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="50"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="72"/>
        <source>Reviewing needs the reviewer role; managers see savings.</source>
        <translation>Prüfen braucht die Prüferrolle; Manager sehen die Einsparungen.</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="77"/>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="86"/>
        <location filename="../ui/mainwindow.cpp" line="91"/>
        <source>Error: %1</source>
        <translation>Fehler: %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/mainwindow.cpp" line="103"/>
        <source>%n candidate(s) waiting in %1</source>
        <translation>
            <numerusform>%n Kandidat wartet in %1</numerusform>
            <numerusform>%n Kandidaten warten in %1</numerusform>
        </translation>
    </message>
</context>
</TS>
