<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>l0::ui::AliasReview</name>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="45"/>
        <source>Similarity</source>
        <translation>Similarité</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="45"/>
        <source>Query</source>
        <translation>Requête</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="45"/>
        <source>Same as</source>
        <translation>Identique à</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="45"/>
        <source>Seen</source>
        <translation>Occurrences</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="45"/>
        <source>Tenant</source>
        <translation>Client</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="47"/>
        <source>How close the query came to the entry (cosine similarity; it did not pass the entry&apos;s threshold)</source>
        <translation>À quel point la requête s’est approchée de l’entrée (similarité cosinus ; elle n’a pas atteint le seuil de l’entrée)</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="48"/>
        <source>How often this query came close to the entry</source>
        <translation>Combien de fois cette requête s’est approchée de l’entrée</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="59"/>
        <source>Alias proposals</source>
        <translation>Propositions d’alias</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="63"/>
        <source>Alias question</source>
        <translation>Question d’alias</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="65"/>
        <source>The entry&apos;s question and this query, side by side</source>
        <translation>La question de l’entrée et cette requête, côte à côte</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="68"/>
        <source>The answer a yes would serve for this query</source>
        <translation>La réponse qu’un oui servirait pour cette requête</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="69"/>
        <source>Alias review status</source>
        <translation>État de la relecture des alias</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="76"/>
        <source>&lt;b&gt;The two questions&lt;/b&gt; (words only in one of them are marked)</source>
        <translation>&lt;b&gt;Les deux questions&lt;/b&gt; (les mots présents dans une seule sont marqués)</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="97"/>
        <source>&amp;Same question (A)</source>
        <translation>&amp;Même question (A)</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="98"/>
        <source>&amp;Not the same (R)</source>
        <translation>&amp;Pas la même (R)</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="99"/>
        <source>S&amp;kip (S)</source>
        <translation>Pa&amp;sser (S)</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="100"/>
        <source>Signed with your key: this query is answered as the entry from now on (an exact hit)</source>
        <translation>Signé avec votre clé : cette requête est désormais servie comme l’entrée (une réussite exacte)</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="101"/>
        <source>Signed with your key: recorded, and this query is not proposed for the entry again</source>
        <translation>Signé avec votre clé : enregistré, et cette requête n’est plus proposée pour l’entrée</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="145"/>
        <source>Refused: %1</source>
        <translation>Refusé : %1</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="178"/>
        <source>Cannot read the alias proposals: %1</source>
        <translation>Impossible de lire les propositions d’alias : %1</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="189"/>
        <source>entry %1</source>
        <translation>entrée %1</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="192"/>
        <source>&lt;p&gt;%1&lt;/p&gt;&lt;p&gt;≈ entry %2: %3&lt;/p&gt;&lt;p&gt;similarity %4 · seen %5 · tenant %6&lt;/p&gt;</source>
        <translation>&lt;p&gt;%1&lt;/p&gt;&lt;p&gt;≈ entrée %2 : %3&lt;/p&gt;&lt;p&gt;similarité %4 · vue %5 fois · client %6&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="225"/>
        <source>&lt;b&gt;No alias proposals wait.&lt;/b&gt;&lt;br&gt;Queries that come close to an approved entry without passing its threshold appear here.</source>
        <translation>&lt;b&gt;Aucune proposition d’alias en attente.&lt;/b&gt;&lt;br&gt;Les requêtes qui s’approchent d’une entrée approuvée sans atteindre son seuil apparaissent ici.</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="227"/>
        <source>&lt;b&gt;Pick a proposal.&lt;/b&gt;</source>
        <translation>&lt;b&gt;Choisissez une proposition.&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="233"/>
        <source>&lt;big&gt;&lt;b&gt;Same question as entry %1?&lt;/b&gt;&lt;/big&gt;&lt;br&gt;similarity &lt;b&gt;%2&lt;/b&gt; · came up %3 · tenant %4%5 · first %6</source>
        <translation>&lt;big&gt;&lt;b&gt;Même question que l’entrée %1 ?&lt;/b&gt;&lt;/big&gt;&lt;br&gt;similarité &lt;b&gt;%2&lt;/b&gt; · apparue %3 · client %4%5 · première fois %6</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="237"/>
        <source>once</source>
        <translation>une fois</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="237"/>
        <source>%1 times</source>
        <translation>%1 fois</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="239"/>
        <source> · namespace %1</source>
        <translation> · espace de noms %1</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="241"/>
        <source>Entry %1 asks</source>
        <translation>L’entrée %1 demande</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="241"/>
        <source>This query asks</source>
        <translation>Cette requête demande</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="244"/>
        <source>&lt;b&gt;What entry %1 answers&lt;/b&gt; (version %2): a yes serves it for this query too</source>
        <translation>&lt;b&gt;Ce que répond l’entrée %1&lt;/b&gt; (version %2) : un oui le sert aussi pour cette requête</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="249"/>
        <source>&lt;b&gt;Entry %1 serves no approved answer now&lt;/b&gt;: it cannot be confirmed; &quot;not the same&quot; is still recorded</source>
        <translation>&lt;b&gt;L’entrée %1 ne sert aucune réponse approuvée pour l’instant&lt;/b&gt; : elle ne peut pas être confirmée ; « pas la même » est tout de même enregistré</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="290"/>
        <source>Confirming…</source>
        <translation>Confirmation…</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasreview.cpp" line="290"/>
        <source>Recording “not the same”…</source>
        <translation>Enregistrement de « pas la même »…</translation>
    </message>
</context>
<context>
    <name>l0::ui::AliasWorker</name>
    <message>
        <location filename="../ui/review/aliasworker.cpp" line="39"/>
        <source>load your reviewer key first (File › Reviewer key): alias decisions are signed</source>
        <translation>chargez d’abord votre clé de relecteur (Fichier › Charger la clé de relecteur) : les décisions d’alias sont signées</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasworker.cpp" line="56"/>
        <source>“%1” is now answered as entry %2</source>
        <translation>« %1 » est désormais servie comme l’entrée %2</translation>
    </message>
    <message>
        <location filename="../ui/review/aliasworker.cpp" line="57"/>
        <source>“%1” is not entry %2: recorded, it will not be proposed again</source>
        <translation>« %1 » n’est pas l’entrée %2 : enregistré, ce ne sera plus proposé</translation>
    </message>
</context>
<context>
    <name>l0::ui::AuditWidget</name>
    <message>
        <location filename="../ui/audit/auditwidget.cpp" line="77"/>
        <source>&amp;Restore from the chain…</source>
        <translation>&amp;Restaurer depuis la chaîne…</translation>
    </message>
    <message>
        <location filename="../ui/audit/auditwidget.cpp" line="82"/>
        <source>Audit chain verification</source>
        <translation>Vérification de la chaîne d’audit</translation>
    </message>
    <message>
        <location filename="../ui/audit/auditwidget.cpp" line="84"/>
        <source>Time</source>
        <translation>Heure</translation>
    </message>
    <message>
        <location filename="../ui/audit/auditwidget.cpp" line="84"/>
        <source>Who</source>
        <translation>Qui</translation>
    </message>
    <message>
        <location filename="../ui/audit/auditwidget.cpp" line="84"/>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <location filename="../ui/audit/auditwidget.cpp" line="84"/>
        <source>Subject</source>
        <translation>Objet</translation>
    </message>
    <message>
        <location filename="../ui/audit/auditwidget.cpp" line="84"/>
        <source>Details</source>
        <translation>Détails</translation>
    </message>
    <message>
        <location filename="../ui/audit/auditwidget.cpp" line="90"/>
        <source>Audit log</source>
        <translation>Journal d’audit</translation>
    </message>
    <message>
        <location filename="../ui/audit/auditwidget.cpp" line="91"/>
        <source>&amp;Verify again</source>
        <translation>&amp;Revérifier</translation>
    </message>
    <message>
        <location filename="../ui/audit/auditwidget.cpp" line="93"/>
        <source>Table</source>
        <translation>Table</translation>
    </message>
    <message>
        <location filename="../ui/audit/auditwidget.cpp" line="93"/>
        <source>Row</source>
        <translation>Ligne</translation>
    </message>
    <message>
        <location filename="../ui/audit/auditwidget.cpp" line="93"/>
        <source>Stored</source>
        <translation>Enregistré</translation>
    </message>
    <message>
        <location filename="../ui/audit/auditwidget.cpp" line="93"/>
        <source>The chain says</source>
        <translation>Selon la chaîne</translation>
    </message>
    <message>
        <location filename="../ui/audit/auditwidget.cpp" line="93"/>
        <source>Why</source>
        <translation>Pourquoi</translation>
    </message>
    <message>
        <location filename="../ui/audit/auditwidget.cpp" line="98"/>
        <source>Rows that do not follow from the audit chain</source>
        <translation>Lignes qui ne découlent pas de la chaîne d’audit</translation>
    </message>
    <message>
        <location filename="../ui/audit/auditwidget.cpp" line="101"/>
        <source>Put these rows back to what the chain and its signatures say (needs the admin key)</source>
        <translation>Remettre ces lignes dans l’état que donnent la chaîne et ses signatures (demande la clé d’admin)</translation>
    </message>
    <message>
        <location filename="../ui/audit/auditwidget.cpp" line="136"/>
        <source>Verifying the chain…</source>
        <translation>Vérification de la chaîne…</translation>
    </message>
    <message>
        <location filename="../ui/audit/auditwidget.cpp" line="159"/>
        <source>Restoring from the chain…</source>
        <translation>Restauration depuis la chaîne…</translation>
    </message>
    <message>
        <location filename="../ui/audit/auditwidget.cpp" line="165"/>
        <location filename="../ui/audit/auditwidget.cpp" line="170"/>
        <source>The admin key</source>
        <translation>La clé d’admin</translation>
    </message>
    <message>
        <location filename="../ui/audit/auditwidget.cpp" line="165"/>
        <source>Keys (*.pem)</source>
        <translation>Clés (*.pem)</translation>
    </message>
    <message>
        <location filename="../ui/audit/auditwidget.cpp" line="170"/>
        <source>Passphrase of %1:</source>
        <translation>Phrase secrète de %1 :</translation>
    </message>
    <message>
        <location filename="../ui/audit/auditwidget.cpp" line="194"/>
        <source>&lt;span style=&quot;color:#b3261e&quot;&gt;Cannot read or verify the audit log: %1&lt;/span&gt;</source>
        <translation>&lt;span style=&quot;color:#b3261e&quot;&gt;Impossible de lire ou vérifier le journal d’audit : %1&lt;/span&gt;</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/audit/auditwidget.cpp" line="197"/>
        <source>&lt;span style=&quot;color:#1b5e20&quot;&gt;✔ The chain verifies: %n row(s), every version, approval and rule pack as recorded.&lt;/span&gt;</source>
        <translation>
            <numerusform>&lt;span style=&quot;color:#1b5e20&quot;&gt;✔ La chaîne est vérifiée : %n ligne, chaque version, approbation et pack de règles comme enregistrés.&lt;/span&gt;</numerusform>
            <numerusform>&lt;span style=&quot;color:#1b5e20&quot;&gt;✔ La chaîne est vérifiée : %n lignes, chaque version, approbation et pack de règles comme enregistrés.&lt;/span&gt;</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/audit/auditwidget.cpp" line="205"/>
        <source>&lt;span style=&quot;color:#b3261e&quot;&gt;✘ The store is broken against its chain: %n row(s) do not follow from the recorded decisions.&lt;/span&gt;</source>
        <translation>
            <numerusform>&lt;span style=&quot;color:#b3261e&quot;&gt;✘ Le stockage contredit sa chaîne : %n ligne ne découle pas des décisions enregistrées.&lt;/span&gt;</numerusform>
            <numerusform>&lt;span style=&quot;color:#b3261e&quot;&gt;✘ Le stockage contredit sa chaîne : %n lignes ne découlent pas des décisions enregistrées.&lt;/span&gt;</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/audit/auditwidget.cpp" line="201"/>
        <source>&lt;span style=&quot;color:#b3261e&quot;&gt;✘ The chain is broken at row %1: %2&lt;/span&gt;</source>
        <translation>&lt;span style=&quot;color:#b3261e&quot;&gt;✘ La chaîne est rompue à la ligne %1 : %2&lt;/span&gt;</translation>
    </message>
</context>
<context>
    <name>l0::ui::AuditWorker</name>
    <message numerus="yes">
        <location filename="../ui/audit/auditwidget.cpp" line="65"/>
        <source>Restored %n row(s) from the chain.</source>
        <translation>
            <numerusform>%n ligne restaurée depuis la chaîne.</numerusform>
            <numerusform>%n lignes restaurées depuis la chaîne.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/audit/auditwidget.cpp" line="66"/>
        <source> %n row(s) cannot be restored.</source>
        <translation>
            <numerusform> %n ligne ne peut pas être restaurée.</numerusform>
            <numerusform> %n lignes ne peuvent pas être restaurées.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>l0::ui::ConnectDialog</name>
    <message>
        <location filename="../ui/connect/connectdialog.cpp" line="45"/>
        <source>&amp;Remember the password in the system keyring</source>
        <translation>&amp;Retenir le mot de passe dans le trousseau du système</translation>
    </message>
    <message>
        <location filename="../ui/connect/connectdialog.cpp" line="48"/>
        <source>Connect to a store</source>
        <translation>Se connecter à un stockage</translation>
    </message>
    <message>
        <location filename="../ui/connect/connectdialog.cpp" line="50"/>
        <source>Profile</source>
        <translation>Profil</translation>
    </message>
    <message>
        <location filename="../ui/connect/connectdialog.cpp" line="51"/>
        <source>postgresql://user@host:5432/l0  or  sqlite:/path/to/l0.sqlite</source>
        <translation>postgresql://utilisateur@hôte:5432/l0  ou  sqlite:/chemin/vers/l0.sqlite</translation>
    </message>
    <message>
        <location filename="../ui/connect/connectdialog.cpp" line="52"/>
        <source>Store URL</source>
        <translation>URL du stockage</translation>
    </message>
    <message>
        <location filename="../ui/connect/connectdialog.cpp" line="54"/>
        <source>Password</source>
        <translation>Mot de passe</translation>
    </message>
    <message>
        <location filename="../ui/connect/connectdialog.cpp" line="56"/>
        <source>SQLite &amp;file...</source>
        <translation>&amp;Fichier SQLite...</translation>
    </message>
    <message>
        <location filename="../ui/connect/connectdialog.cpp" line="58"/>
        <source>&amp;Connect</source>
        <translation>Se &amp;connecter</translation>
    </message>
    <message>
        <location filename="../ui/connect/connectdialog.cpp" line="60"/>
        <source>&amp;Profile</source>
        <translation>&amp;Profil</translation>
    </message>
    <message>
        <location filename="../ui/connect/connectdialog.cpp" line="64"/>
        <source>&amp;Store</source>
        <translation>&amp;Stockage</translation>
    </message>
    <message>
        <location filename="../ui/connect/connectdialog.cpp" line="65"/>
        <source>Pass&amp;word</source>
        <translation>&amp;Mot de passe</translation>
    </message>
    <message>
        <location filename="../ui/connect/connectdialog.cpp" line="71"/>
        <source>Open store</source>
        <translation>Ouvrir le stockage</translation>
    </message>
    <message>
        <location filename="../ui/connect/connectdialog.cpp" line="71"/>
        <source>SQLite (*.sqlite *.db);;All files (*)</source>
        <translation>SQLite (*.sqlite *.db);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location filename="../ui/connect/connectdialog.cpp" line="78"/>
        <source>Give a store URL or choose a SQLite file.</source>
        <translation>Indiquez une URL de stockage ou choisissez un fichier SQLite.</translation>
    </message>
    <message>
        <location filename="../ui/connect/connectdialog.cpp" line="137"/>
        <source>The password is not in the system keyring (%1).</source>
        <translation>Le mot de passe n&apos;est pas dans le trousseau du système (%1).</translation>
    </message>
    <message>
        <location filename="../ui/connect/connectdialog.cpp" line="168"/>
        <source>The password could not be stored in the system keyring (%1); it is not stored anywhere else.</source>
        <translation>Le mot de passe n&apos;a pas pu être enregistré dans le trousseau du système (%1) ; il n&apos;est enregistré nulle part ailleurs.</translation>
    </message>
</context>
<context>
    <name>l0::ui::DashboardWidget</name>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="208"/>
        <source>Saved by the cache</source>
        <translation>Économisé par le cache</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="209"/>
        <source>Saved by routing</source>
        <translation>Économisé par le routage</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="242"/>
        <source>Routed misses: model asked for and model used</source>
        <translation>Requêtes routées : modèle demandé et modèle utilisé</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="603"/>
        <source>What the cache hits would have cost at the requested models&apos; prices: %1 hits.</source>
        <translation>Ce que les réponses du cache auraient coûté aux prix des modèles demandés : %1 réponses.</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="607"/>
        <source>Routed misses (route policies, set with &apos;l0ctl tenant set-route&apos;): the requested model&apos;s price minus what was paid, a cascade&apos;s rejected cheaper answer included: %1 requests.</source>
        <translation>Requêtes routées (politiques de routage, définies avec &apos;l0ctl tenant set-route&apos;) : le prix du modèle demandé moins ce qui a été payé, y compris la réponse moins chère rejetée d&apos;une cascade : %1 requêtes.</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="762"/>
        <source>asked for</source>
        <translation>demandé</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="763"/>
        <source>answered by</source>
        <translation>répondu par</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="775"/>
        <source>no routed requests</source>
        <translation>aucune requête routée</translation>
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
        <translation>v%1  %2  risque %3  par %4, %5</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="107"/>
        <source>; decided by %1, %2</source>
        <translation> ; décidé par %1, %2</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="143"/>
        <source>Savings dashboard</source>
        <translation>Tableau des économies</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="146"/>
        <source>Monthly budgets</source>
        <translation>Budgets mensuels</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="147"/>
        <source>Set with: l0ctl tenant set-budget NAME --budget DOLLARS</source>
        <translation>À définir avec : l0ctl tenant set-budget NOM --budget DOLLARS</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="151"/>
        <source>Last 24 hours</source>
        <translation>Dernières 24 heures</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="152"/>
        <source>Last 7 days</source>
        <translation>7 derniers jours</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="153"/>
        <source>Last 30 days</source>
        <translation>30 derniers jours</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="154"/>
        <source>Custom range</source>
        <translation>Période personnalisée</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="156"/>
        <source>Range</source>
        <translation>Période</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="162"/>
        <source>From</source>
        <translation>Du</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="163"/>
        <source>To</source>
        <translation>Au</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="165"/>
        <source>%1 (this computer)</source>
        <translation>%1 (cet ordinateur)</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="171"/>
        <source>Time zone</source>
        <translation>Fuseau horaire</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="172"/>
        <source>All tenants</source>
        <translation>Tous les clients</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="173"/>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="249"/>
        <source>Tenant</source>
        <translation>Client</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="176"/>
        <source>tenant</source>
        <translation>client</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="177"/>
        <source>namespace</source>
        <translation>espace de noms</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="177"/>
        <source>model</source>
        <translation>modèle</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="178"/>
        <source>tier</source>
        <translation>niveau</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="178"/>
        <source>intent</source>
        <translation>intention</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="179"/>
        <source>By %1</source>
        <translation>Par %1</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="181"/>
        <source>Break down by</source>
        <translation>Répartir par</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="182"/>
        <source>&amp;Refresh</source>
        <translation>&amp;Actualiser</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="184"/>
        <source>Read the ledger again (F5)</source>
        <translation>Relire le registre (F5)</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="185"/>
        <source>Export &amp;CSV...</source>
        <translation>Exporter en &amp;CSV...</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="186"/>
        <source>Export &amp;charts...</source>
        <translation>Exporter les &amp;graphiques...</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="207"/>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="246"/>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="249"/>
        <source>Saved</source>
        <translation>Économisé</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="210"/>
        <source>Saved after hit fees</source>
        <translation>Économisé après frais par réponse</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="211"/>
        <source>Hit fees (operator revenue)</source>
        <translation>Frais par réponse (revenu de l’opérateur)</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="212"/>
        <source>Cost: baseline → actual</source>
        <translation>Coût : sans cache → réel</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="213"/>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="246"/>
        <source>Hit rate</source>
        <translation>Taux de réussite</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="214"/>
        <source>Time saved</source>
        <translation>Temps gagné</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="215"/>
        <source>Review backlog</source>
        <translation>Relectures en attente</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="216"/>
        <source>Shadow: would have saved</source>
        <translation>Mode fantôme : aurait économisé</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="217"/>
        <source>Unpriced requests</source>
        <translation>Requêtes sans prix</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="238"/>
        <source>Cost over time by model, with the cost without the cache</source>
        <translation>Coût dans le temps par modèle, avec le coût sans cache</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="239"/>
        <source>Hit rate by tier</source>
        <translation>Taux de réussite par niveau</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="240"/>
        <source>Model mix (requests)</source>
        <translation>Répartition des modèles (requêtes)</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="246"/>
        <source>Group</source>
        <translation>Groupe</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="246"/>
        <source>Requests</source>
        <translation>Requêtes</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="246"/>
        <source>Unpriced</source>
        <translation>Sans prix</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="246"/>
        <source>Hit fees</source>
        <translation>Frais par réponse</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="249"/>
        <source>Entry</source>
        <translation>Entrée</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="249"/>
        <source>Tier / intent</source>
        <translation>Niveau / intention</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="249"/>
        <source>Hits</source>
        <translation>Réussites</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="249"/>
        <source>Query</source>
        <translation>Requête</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="252"/>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="255"/>
        <source>Day (UTC)</source>
        <translation>Jour (UTC)</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="252"/>
        <source>Reviewer</source>
        <translation>Relecteur</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="252"/>
        <source>Approved</source>
        <translation>Approuvées</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="252"/>
        <source>Rejected</source>
        <translation>Rejetées</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="252"/>
        <source>Undone</source>
        <translation>Annulées</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="252"/>
        <source>Edits withdrawn</source>
        <translation>Modifications retirées</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="253"/>
        <source>Decisions per reviewer and day</source>
        <translation>Décisions par relecteur et par jour</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="255"/>
        <source>Reason</source>
        <translation>Motif</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="255"/>
        <source>Rejections</source>
        <translation>Rejets</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="256"/>
        <source>Rejection reasons over time</source>
        <translation>Motifs de rejet dans le temps</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="259"/>
        <source>Queue health</source>
        <translation>État de la file</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="276"/>
        <source>Savings by group</source>
        <translation>Économies par groupe</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="277"/>
        <source>Top entries by savings; press Enter for the entry&apos;s review history</source>
        <translation>Entrées qui économisent le plus ; Entrée affiche l&apos;historique de relecture</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="278"/>
        <source>Double-click or press Enter for the entry&apos;s review history</source>
        <translation>Double-cliquez ou appuyez sur Entrée pour l&apos;historique de relecture</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="284"/>
        <source>&lt;b&gt;Savings by group&lt;/b&gt;</source>
        <translation>&lt;b&gt;Économies par groupe&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="299"/>
        <source>&lt;b&gt;Review queue health&lt;/b&gt;</source>
        <translation>&lt;b&gt;État de la file de relecture&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="307"/>
        <source>&lt;b&gt;Top entries by savings&lt;/b&gt;</source>
        <translation>&lt;b&gt;Entrées qui économisent le plus&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="313"/>
        <source>Savings charts and tables</source>
        <translation>Graphiques et tableaux des économies</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="392"/>
        <source>&lt;b&gt;%1&lt;/b&gt;: %2 of %3 this month</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; : %2 sur %3 ce mois-ci</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="395"/>
        <source>, on course for %1</source>
        <translation>, en route vers %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="397"/>
        <source>, and %n unpriced request(s) whose cost is unknown</source>
        <translation>
            <numerusform>, et %n requête sans prix dont le coût est inconnu</numerusform>
            <numerusform>, et %n requêtes sans prix dont le coût est inconnu</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="399"/>
        <source>&lt;span style=&quot;color:#b3261e&quot;&gt;⚠ Over budget: %1&lt;/span&gt;</source>
        <translation>&lt;span style=&quot;color:#b3261e&quot;&gt;⚠ Budget dépassé : %1&lt;/span&gt;</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="401"/>
        <source>&lt;span style=&quot;color:#8a5a00&quot;&gt;⚠ Budget warning: %1&lt;/span&gt;</source>
        <translation>&lt;span style=&quot;color:#8a5a00&quot;&gt;⚠ Alerte budget : %1&lt;/span&gt;</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="423"/>
        <source>&lt;i&gt;The queue&apos;s health cannot be read: %1&lt;/i&gt;</source>
        <translation>&lt;i&gt;L’état de la file est illisible : %1&lt;/i&gt;</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="430"/>
        <source>none</source>
        <translation>aucun</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="431"/>
        <source>%1 · p50 %2 · p95 %3 · oldest %4</source>
        <translation>%1 · p50 %2 · p95 %3 · la plus ancienne %4</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="435"/>
        <source>none in this range</source>
        <translation>aucune sur cette période</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="436"/>
        <source>p50 %1 · p95 %2 (%3 versions)</source>
        <translation>p50 %1 · p95 %2 (%3 versions)</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="442"/>
        <source> &lt;span style=&quot;color:#b3261e&quot;&gt;(%n entries unpriced, not counted)&lt;/span&gt;</source>
        <translation>
            <numerusform> &lt;span style=&quot;color:#b3261e&quot;&gt;(%n entrée sans prix, non comptée)&lt;/span&gt;</numerusform>
            <numerusform> &lt;span style=&quot;color:#b3261e&quot;&gt;(%n entrées sans prix, non comptées)&lt;/span&gt;</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="444"/>
        <source>&lt;table cellspacing=&quot;2&quot;&gt;&lt;tr&gt;&lt;td&gt;Needs review&lt;/td&gt;&lt;td&gt;%1&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Needs second approval&lt;/td&gt;&lt;td&gt;%2&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Being reviewed now&lt;/td&gt;&lt;td&gt;%3&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Filed → decided&lt;/td&gt;&lt;td&gt;%4&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Filed → first served&lt;/td&gt;&lt;td&gt;%5&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Demand waiting on review&lt;/td&gt;&lt;td&gt;%6 % (%7 of %8 requests)&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Would-be savings in the queue&lt;/td&gt;&lt;td&gt;%9&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;</source>
        <translation>&lt;table cellspacing=&quot;2&quot;&gt;&lt;tr&gt;&lt;td&gt;À relire&lt;/td&gt;&lt;td&gt;%1&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Seconde approbation&lt;/td&gt;&lt;td&gt;%2&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;En cours de relecture&lt;/td&gt;&lt;td&gt;%3&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Déposé → décidé&lt;/td&gt;&lt;td&gt;%4&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Déposé → première réponse servie&lt;/td&gt;&lt;td&gt;%5&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Demande en attente de relecture&lt;/td&gt;&lt;td&gt;%6 % (%7 sur %8 requêtes)&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Économie possible dans la file&lt;/td&gt;&lt;td&gt;%9&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="457"/>
        <source>Oldest waiting: %1</source>
        <translation>Attente la plus longue : %1</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="575"/>
        <source>Loading…</source>
        <translation>Chargement…</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="594"/>
        <source>Cannot read the ledger: %1</source>
        <translation>Impossible de lire le registre : %1</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="611"/>
        <source>What the cache saved the tenants once the operator&apos;s per-hit fees are paid.</source>
        <translation>Ce que le cache a fait économiser aux locataires, frais par réponse de l’opérateur payés.</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="614"/>
        <source>Per-hit fees charged on cache hits (set per tenant with &apos;l0ctl tenant set-fee&apos;): the operator&apos;s revenue, apart from model costs.</source>
        <translation>Frais facturés par réponse du cache (par locataire avec &apos;l0ctl tenant set-fee&apos;) : le revenu de l’opérateur, hors coûts des modèles.</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="616"/>
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="626"/>
        <source>Shadow-mode tenants are answered upstream; this is what the cache would have saved them. It is not part of &quot;Saved&quot;.</source>
        <translation>Les clients en mode fantôme sont servis par le fournisseur ; voici ce que le cache leur aurait économisé. Ce n&apos;est pas compté dans « Économisé ».</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="632"/>
        <source>Requests to models without a price: their cost is unknown, not $0. Add prices to count them.</source>
        <translation>Requêtes vers des modèles sans prix : leur coût est inconnu, pas 0 $. Ajoutez des prix pour les compter.</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="633"/>
        <source>Every request was priced.</source>
        <translation>Chaque requête avait un prix.</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="654"/>
        <source>without the cache</source>
        <translation>sans cache</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="726"/>
        <source>L0 (intent)</source>
        <translation>L0 (intention)</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="747"/>
        <source> (unpriced)</source>
        <translation> (sans prix)</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="789"/>
        <source>(none)</source>
        <translation>(aucun)</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="816"/>
        <source>Updated %1</source>
        <translation>Mis à jour %1</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="825"/>
        <source>Entry %1: review history</source>
        <translation>Entrée %1 : historique de relecture</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="828"/>
        <source>Cannot read the history: %1</source>
        <translation>Impossible de lire l&apos;historique : %1</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="829"/>
        <source>Review history</source>
        <translation>Historique de relecture</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="849"/>
        <source>cannot write %1</source>
        <translation>impossible d&apos;écrire %1</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="859"/>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="864"/>
        <source>Export CSV</source>
        <translation>Exporter en CSV</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="859"/>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="864"/>
        <source>Cannot write %1: %2</source>
        <translation>Impossible d&apos;écrire %1 : %2</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="869"/>
        <source>Export charts as PNG into</source>
        <translation>Exporter les graphiques en PNG dans</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="874"/>
        <source>Export charts</source>
        <translation>Exporter les graphiques</translation>
    </message>
</context>
<context>
    <name>l0::ui::DiffOverview</name>
    <message>
        <location filename="../ui/review/diffoverview.cpp" line="14"/>
        <source>Where the changes are; click to go to one</source>
        <translation>Où sont les modifications ; un clic y mène</translation>
    </message>
    <message>
        <location filename="../ui/review/diffoverview.cpp" line="15"/>
        <source>Overview of the changes</source>
        <translation>Aperçu des modifications</translation>
    </message>
</context>
<context>
    <name>l0::ui::ExperimentPanel</name>
    <message>
        <location filename="../ui/dashboard/experimentpanel.cpp" line="49"/>
        <location filename="../ui/dashboard/experimentpanel.cpp" line="68"/>
        <source>Running experiments</source>
        <translation>Expériences en cours</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/experimentpanel.cpp" line="50"/>
        <source>Started with: l0ctl experiment create NAME --tenant T --arm A=POLICY --arm B=POLICY; full figures with: l0ctl experiment report NAME</source>
        <translation>Lancée par : l0ctl experiment create NAME --tenant T --arm A=POLICY --arm B=POLICY ; tous les chiffres avec : l0ctl experiment report NAME</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/experimentpanel.cpp" line="58"/>
        <source>Experiments cannot be read: %1</source>
        <translation>Impossible de lire les expériences : %1</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/experimentpanel.cpp" line="69"/>
        <source>95% intervals in brackets; each arm against the first, ★ p &lt; 0.05</source>
        <translation>Intervalles à 95 % entre crochets ; chaque bras contre le premier, ★ p &lt; 0,05</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/experimentpanel.cpp" line="74"/>
        <source>tenant %1, since %2</source>
        <translation>locataire %1, depuis %2</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/experimentpanel.cpp" line="80"/>
        <source>Arm</source>
        <translation>Bras</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/experimentpanel.cpp" line="80"/>
        <source>Policy</source>
        <translation>Politique</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/experimentpanel.cpp" line="80"/>
        <source>Share</source>
        <translation>Part</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/experimentpanel.cpp" line="80"/>
        <source>Requests</source>
        <translation>Requêtes</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/experimentpanel.cpp" line="80"/>
        <source>Cost / request</source>
        <translation>Coût par requête</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/experimentpanel.cpp" line="81"/>
        <source>Hit rate</source>
        <translation>Taux de succès</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/experimentpanel.cpp" line="81"/>
        <source>p95 latency</source>
        <translation>Latence p95</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/experimentpanel.cpp" line="81"/>
        <source>Good feedback</source>
        <translation>Avis positifs</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/experimentpanel.cpp" line="81"/>
        <source>Cost vs first</source>
        <translation>Coût contre le premier</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/experimentpanel.cpp" line="81"/>
        <source>Hit rate vs first</source>
        <translation>Taux de succès contre le premier</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/experimentpanel.cpp" line="104"/>
        <source>%1 unpriced</source>
        <translation>%1 sans prix</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/experimentpanel.cpp" line="106"/>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/experimentpanel.cpp" line="112"/>
        <source>of %1</source>
        <translation>sur %1</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/experimentpanel.cpp" line="113"/>
        <source>no feedback</source>
        <translation>aucun avis</translation>
    </message>
</context>
<context>
    <name>l0::ui::FindingsView</name>
    <message>
        <location filename="../ui/review/findingsview.cpp" line="70"/>
        <source>Safety findings</source>
        <translation>Constats de sécurité</translation>
    </message>
    <message>
        <location filename="../ui/review/findingsview.cpp" line="72"/>
        <source>Detector</source>
        <translation>Détecteur</translation>
    </message>
    <message>
        <location filename="../ui/review/findingsview.cpp" line="72"/>
        <source>Severity</source>
        <translation>Gravité</translation>
    </message>
    <message>
        <location filename="../ui/review/findingsview.cpp" line="72"/>
        <source>Score</source>
        <translation>Score</translation>
    </message>
    <message>
        <location filename="../ui/review/findingsview.cpp" line="72"/>
        <source>Evidence</source>
        <translation>Preuve</translation>
    </message>
    <message>
        <location filename="../ui/review/findingsview.cpp" line="72"/>
        <source>Message</source>
        <translation>Message</translation>
    </message>
    <message>
        <location filename="../ui/review/findingsview.cpp" line="80"/>
        <source>Click a header to sort; choose a finding to highlight its evidence in the answer</source>
        <translation>Cliquez un en-tête pour trier ; un constat sélectionne sa preuve dans la réponse</translation>
    </message>
    <message>
        <location filename="../ui/review/findingsview.cpp" line="81"/>
        <source>Filter findings</source>
        <translation>Filtrer les constats</translation>
    </message>
    <message>
        <location filename="../ui/review/findingsview.cpp" line="82"/>
        <source>Filter safety findings by detector, severity or text</source>
        <translation>Filtrer les constats de sécurité par détecteur, gravité ou texte</translation>
    </message>
    <message>
        <location filename="../ui/review/findingsview.cpp" line="86"/>
        <source>&lt;b&gt;Safety findings&lt;/b&gt;</source>
        <translation>&lt;b&gt;Constats de sécurité&lt;/b&gt;</translation>
    </message>
</context>
<context>
    <name>l0::ui::MainWindow</name>
    <message>
        <location filename="../ui/mainwindow.cpp" line="42"/>
        <source>L0 Cache Console</source>
        <translation>Console L0 Cache</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="43"/>
        <source>Review &amp;queue</source>
        <translation>&amp;File de relecture</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="44"/>
        <source>&amp;Savings</source>
        <translation>É&amp;conomies</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="45"/>
        <source>&amp;Audit</source>
        <translation>&amp;Audit</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="46"/>
        <source>Rule &amp;bench</source>
        <translation>&amp;Banc de règles</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="49"/>
        <source>Not connected: File &gt; Connect (Ctrl+Shift+O) or Open SQLite store (Ctrl+O)</source>
        <translation>Non connecté : Fichier &gt; Se connecter (Ctrl+Maj+O) ou Ouvrir un stockage SQLite (Ctrl+O)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="51"/>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="52"/>
        <source>&amp;Open SQLite store...</source>
        <translation>&amp;Ouvrir un stockage SQLite...</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="56"/>
        <source>Open store</source>
        <translation>Ouvrir le stockage</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="56"/>
        <source>SQLite (*.sqlite *.db);;All files (*)</source>
        <translation>SQLite (*.sqlite *.db);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="60"/>
        <source>&amp;Connect...</source>
        <translation>Se &amp;connecter...</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="63"/>
        <source>Load reviewer &amp;key...</source>
        <translation>Charger la &amp;clé de relecteur...</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="66"/>
        <source>&amp;Refresh</source>
        <translation>&amp;Actualiser</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="69"/>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="124"/>
        <source>Connecting to %1…</source>
        <translation>Connexion à %1…</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="151"/>
        <source>Error: %1</source>
        <translation>Erreur : %1</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="159"/>
        <source>Reviewing needs the reviewer role; managers see savings.</source>
        <translation>La relecture demande le rôle de relecteur ; les responsables voient les économies.</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="180"/>
        <source>Savings of %1 (manager: reviewing is not open to this login)</source>
        <translation>Économies de %1 (responsable : la relecture n&apos;est pas ouverte à cet identifiant)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="184"/>
        <source>Connected to %1</source>
        <translation>Connecté à %1</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="190"/>
        <source>Your reviewer key</source>
        <translation>Votre clé de relecteur</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="190"/>
        <source>Private keys (*.pem *.key);;All files (*)</source>
        <translation>Clés privées (*.pem *.key);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="195"/>
        <location filename="../ui/mainwindow.cpp" line="200"/>
        <location filename="../ui/mainwindow.cpp" line="218"/>
        <source>Reviewer key</source>
        <translation>Clé de relecteur</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="195"/>
        <source>Passphrase of %1:</source>
        <translation>Phrase secrète de %1 :</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="200"/>
        <source>Cannot use this key: %1</source>
        <translation>Clé inutilisable : %1</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="218"/>
        <source>This key belongs to no registered reviewer.</source>
        <translation>Cette clé n&apos;appartient à aucun relecteur enregistré.</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="223"/>
        <source>Reviewing as %1</source>
        <translation>Relecture en tant que %1</translation>
    </message>
</context>
<context>
    <name>l0::ui::ReviewWidget</name>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="67"/>
        <source>&amp;Mine (M)</source>
        <translation>&amp;Les miens (M)</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="76"/>
        <source>&amp;Blind A/B (B)</source>
        <translation>A/B à l’a&amp;veugle (B)</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="78"/>
        <source>Prefer A ([)</source>
        <translation>Préférer A ([)</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="79"/>
        <source>Prefer B (])</source>
        <translation>Préférer B (])</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="94"/>
        <source>Key 5: queries that came close to an approved entry. A: same question (served as that entry), R: not the same</source>
        <translation>Touche 5 : requêtes proches d’une entrée approuvée. A : même question (servie comme cette entrée), R : pas la même</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="101"/>
        <source>Lanes</source>
        <translation>Files</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="102"/>
        <source>Search queries and tenants (/)</source>
        <translation>Chercher requêtes et clients (/)</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="103"/>
        <source>Search</source>
        <translation>Recherche</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="104"/>
        <source>By demand</source>
        <translation>Par demande</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="104"/>
        <source>By would-be savings</source>
        <translation>Par économie possible</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="104"/>
        <source>Newest first</source>
        <translation>Plus récentes d’abord</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="104"/>
        <source>By risk</source>
        <translation>Par risque</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="105"/>
        <source>Sort order</source>
        <translation>Ordre de tri</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="106"/>
        <source>Sort the queue (O)</source>
        <translation>Trier la file (O)</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="108"/>
        <source>Items listed in this lane, of all it holds</source>
        <translation>Éléments listés dans cette file, sur tous ceux qu’elle contient</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="113"/>
        <source>Entry</source>
        <translation>Entrée</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="113"/>
        <source>Risk</source>
        <translation>Risque</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="113"/>
        <source>Would save</source>
        <translation>Économiserait</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="113"/>
        <source>Tenant</source>
        <translation>Client</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="113"/>
        <source>Demand</source>
        <translation>Demande</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="113"/>
        <source>Query</source>
        <translation>Requête</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="115"/>
        <source>Demand × the cost of answering once upstream: what approving it would save at today&apos;s demand</source>
        <translation>Demande × coût d’une réponse du fournisseur : ce que l’approbation économiserait à la demande actuelle</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="141"/>
        <source>Review queue</source>
        <translation>File de relecture</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="147"/>
        <source>Answer under review, findings highlighted</source>
        <translation>Réponse en relecture, constats surlignés</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="148"/>
        <source>Changes against the live approved version</source>
        <translation>Modifications par rapport à la version approuvée en service</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="149"/>
        <source>Review status</source>
        <translation>État de la relecture</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="150"/>
        <source>Blind A/B comparison</source>
        <translation>Comparaison A/B à l’aveugle</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="151"/>
        <source>Compare two candidates as A and B in random order, without their models</source>
        <translation>Comparer deux candidats comme A et B dans un ordre aléatoire, sans leurs modèles</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="154"/>
        <source>Prefer candidate A</source>
        <translation>Préférer le candidat A</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="155"/>
        <source>Prefer candidate B</source>
        <translation>Préférer le candidat B</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="173"/>
        <source>&lt;b&gt;Answer&lt;/b&gt;</source>
        <translation>&lt;b&gt;Réponse&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="193"/>
        <source>&amp;Undo (U)</source>
        <translation>Ann&amp;uler (U)</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="331"/>
        <source>Same question?</source>
        <translation>Même question ?</translation>
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
        <translation>A  approuver (signé avec votre clé)
R  rejeter (un motif est requis ; les chiffres le choisissent ; au lieu de le retirer, le texte peut être remis en file pour modification ou pour la réponse d’un autre modèle)
S  passer à l’élément suivant
U  annuler vos décisions, la plus récente d’abord (chacune pendant 10 minutes)
E  modifier : votre texte devient une nouvelle version qu’un autre approuve
D  différences : en ligne ou côte à côte
N / P  modification suivante / précédente
C  comparer avec la version approuvée ou un autre candidat (A/B)
B  A/B à l’aveugle : côtés aléatoires, modèles masqués
[ / ]  préférer A / B : approuver l’un, rejeter l’autre
J / K  élément suivant / précédent
1 2 3 4  files : à relire, seconde approbation, approuvées, rejetées
5  même question ? (propositions d’alias : A même question, R pas la même)
/  rechercher
M  seulement les miens
O  trier : demande, économie possible, récentes, risque
F5  actualiser
?  cette liste</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="554"/>
        <source>The store is back</source>
        <translation>Le stockage est de retour</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="573"/>
        <source>unpriced</source>
        <translation>sans prix</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="746"/>
        <source> · model %1</source>
        <translation> · modèle %1</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="751"/>
        <source>&lt;br&gt;&lt;i&gt;Blind second review: who approved first is shown after your decision.&lt;/i&gt;</source>
        <translation>&lt;br&gt;&lt;i&gt;Seconde relecture à l’aveugle : qui a approuvé en premier s’affiche après votre décision.&lt;/i&gt;</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/review/reviewwidget.cpp" line="753"/>
        <source>&lt;br&gt;%n other candidate(s) for this entry: C compares them.</source>
        <translation>
            <numerusform>&lt;br&gt;%n autre candidat pour cette entrée : C les compare.</numerusform>
            <numerusform>&lt;br&gt;%n autres candidats pour cette entrée : C les compare.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="755"/>
        <source>&lt;br&gt;History: hidden during blind A/B</source>
        <translation>&lt;br&gt;Historique : masqué pendant l’A/B à l’aveugle</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="797"/>
        <source>No other candidate for this entry</source>
        <translation>Aucun autre candidat pour cette entrée</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="805"/>
        <source>Compare two candidates first (C)</source>
        <translation>Comparez d’abord deux candidats (C)</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="821"/>
        <source>Undoing…</source>
        <translation>Annulation…</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="825"/>
        <source>Nothing to undo</source>
        <translation>Rien à annuler</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="875"/>
        <location filename="../ui/review/reviewwidget.cpp" line="897"/>
        <source>&lt;b&gt;Changes against the approved version&lt;/b&gt;</source>
        <translation>&lt;b&gt;Modifications par rapport à la version approuvée&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="1017"/>
        <source>Remove it from the queue</source>
        <translation>Le retirer de la file</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="1019"/>
        <source>Requeue it for an edit (a copy waits for someone to fix it)</source>
        <translation>Le remettre en file pour modification (une copie attend qu’on la corrige)</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="1021"/>
        <source>Requeue it for another model&apos;s answer (a copy waits to be compared)</source>
        <translation>Le remettre en file pour la réponse d’un autre modèle (une copie attend la comparaison)</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="1022"/>
        <source>After rejecting</source>
        <translation>Après le rejet</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="1024"/>
        <source>Note for the author</source>
        <translation>Note pour l’auteur</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="1034"/>
        <source>&amp;Then</source>
        <translation>&amp;Ensuite</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="1045"/>
        <source>%1@%2 %3 · U undoes</source>
        <translation>%1@%2 %3 · U annule</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="190"/>
        <source>&amp;Approve (A)</source>
        <translation>&amp;Approuver (A)</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="191"/>
        <source>&amp;Reject (R)</source>
        <translation>&amp;Rejeter (R)</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="192"/>
        <source>&amp;Skip (S)</source>
        <translation>&amp;Passer (S)</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="194"/>
        <source>Keys (?)</source>
        <translation>Touches (?)</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="255"/>
        <location filename="../ui/review/reviewwidget.cpp" line="271"/>
        <source>Keys</source>
        <translation>Touches</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="292"/>
        <source>Only items you are reviewing</source>
        <translation>Seulement les éléments que vous relisez</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="519"/>
        <source>Refused: %1</source>
        <translation>Refusé : %1</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="548"/>
        <source>Cannot read the queue: %1</source>
        <translation>Impossible de lire la file : %1</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="663"/>
        <source>Cannot open %1@%2: %3</source>
        <translation>Impossible d&apos;ouvrir %1@%2 : %3</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="739"/>
        <source>&lt;b&gt;%1@%2&lt;/b&gt; · %3 · tenant %4 · risk &lt;b&gt;%5&lt;/b&gt; · %6 of %7 approvals</source>
        <translation>&lt;b&gt;%1@%2&lt;/b&gt; · %3 · client %4 · risque &lt;b&gt;%5&lt;/b&gt; · %6 sur %7 approbations</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="748"/>
        <source>&lt;br&gt;&lt;span style=&quot;color:#b3261e&quot;&gt;Being reviewed by %1: read only&lt;/span&gt;</source>
        <translation>&lt;br&gt;&lt;span style=&quot;color:#b3261e&quot;&gt;En relecture par %1 : lecture seule&lt;/span&gt;</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="754"/>
        <source>&lt;br&gt;Queries: %1</source>
        <translation>&lt;br&gt;Requêtes : %1</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="756"/>
        <source>&lt;br&gt;History: %1</source>
        <translation>&lt;br&gt;Historique : %1</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="877"/>
        <source>&lt;i&gt;No approved version to compare with: this answer is new.&lt;/i&gt;</source>
        <translation>&lt;i&gt;Aucune version approuvée à comparer : cette réponse est nouvelle.&lt;/i&gt;</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="705"/>
        <source>Claimed for you</source>
        <translation>Réservé pour vous</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="89"/>
        <source>Key %1</source>
        <translation>Touche %1</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="113"/>
        <source>Claimed by</source>
        <translation>Réservé par</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="116"/>
        <source>Who is reviewing it now (their lease runs out by itself)</source>
        <translation>Qui le relit en ce moment (la réservation expire d’elle-même)</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="334"/>
        <source>Needs review</source>
        <translation>À relire</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="334"/>
        <source>Needs second approval</source>
        <translation>Seconde approbation</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="335"/>
        <source>Approved</source>
        <translation>Approuvées</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="335"/>
        <source>Rejected</source>
        <translation>Rejetées</translation>
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
        <translation>%1 sur %2 listés</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="576"/>
        <source>&lt;p&gt;%1&lt;/p&gt;&lt;p&gt;%2 · risk %3 · demand %4 · would save %5 · tenant %6%7&lt;/p&gt;</source>
        <translation>&lt;p&gt;%1&lt;/p&gt;&lt;p&gt;%2 · risque %3 · demande %4 · économie possible %5 · locataire %6%7&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="580"/>
        <source> · being reviewed by %1</source>
        <translation> · en relecture par %1</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="705"/>
        <source>Read only</source>
        <translation>Lecture seule</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="809"/>
        <location filename="../ui/review/reviewwidget.cpp" line="929"/>
        <location filename="../ui/review/reviewwidget.cpp" line="969"/>
        <source>Refused: %1 is reviewing this item</source>
        <translation>Refusé : %1 relit cet élément</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="878"/>
        <source>&lt;i&gt;No approved version to compare with: C compares the other candidates.&lt;/i&gt;</source>
        <translation>&lt;i&gt;Aucune version approuvée à comparer : C compare les autres candidats.&lt;/i&gt;</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="883"/>
        <source>approved v%1</source>
        <translation>approuvée v%1</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="883"/>
        <source>candidate v%1</source>
        <translation>candidat v%1</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="887"/>
        <source>%1: v%2 (%3)</source>
        <translation>%1 : v%2 (%3)</translation>
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
        <translation>&lt;b&gt;Candidat %1 contre candidat %2&lt;/b&gt;%3</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="895"/>
        <source> · blind: [ prefers A, ] prefers B</source>
        <translation> · à l’aveugle : [ préfère A, ] préfère B</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="921"/>
        <source>No changes to go to</source>
        <translation>Aucune modification</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="246"/>
        <source>Change %1 of %2</source>
        <translation>Modification %1 sur %2</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="942"/>
        <source>Edit %1@%2</source>
        <translation>Modifier %1@%2</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="944"/>
        <source>Edited answer</source>
        <translation>Réponse modifiée</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="945"/>
        <source>Your text becomes a new version; another reviewer must approve it.</source>
        <translation>Votre texte devient une nouvelle version ; un autre relecteur doit l’approuver.</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="947"/>
        <source>Submit (Ctrl+Enter)</source>
        <translation>Soumettre (Ctrl+Entrée)</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="982"/>
        <source>Refused: a rejection needs a reason (%1)</source>
        <translation>Refusé : un rejet demande un motif (%1)</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="1004"/>
        <source>Reject %1@%2</source>
        <translation>Rejeter %1@%2</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="1006"/>
        <source>Choose a reason…</source>
        <translation>Choisir un motif…</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="1015"/>
        <source>Rejection reason</source>
        <translation>Motif du rejet</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="1033"/>
        <source>&amp;Reason</source>
        <translation>&amp;Motif</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewwidget.cpp" line="1035"/>
        <source>&amp;Note</source>
        <translation>&amp;Note</translation>
    </message>
</context>
<context>
    <name>l0::ui::ReviewWorker</name>
    <message>
        <location filename="../ui/review/reviewworker.cpp" line="187"/>
        <source>no such version</source>
        <translation>version inexistante</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewworker.cpp" line="214"/>
        <source>%1 (×%2)</source>
        <translation>%1 (×%2)</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewworker.cpp" line="230"/>
        <source>v%1 %2 by %3</source>
        <translation>v%1 %2 par %3</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewworker.cpp" line="233"/>
        <source>, decided by %1</source>
        <translation>, décidé par %1</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewworker.cpp" line="263"/>
        <location filename="../ui/review/reviewworker.cpp" line="284"/>
        <location filename="../ui/review/reviewworker.cpp" line="306"/>
        <location filename="../ui/review/reviewworker.cpp" line="356"/>
        <source>load your reviewer key first (File &gt; Load reviewer key)</source>
        <translation>chargez d&apos;abord votre clé de relecteur (Fichier &gt; Charger la clé de relecteur)</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewworker.cpp" line="296"/>
        <source>approved: %1 of %2 approvals</source>
        <translation>approuvé : %1 sur %2 approbations</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewworker.cpp" line="48"/>
        <location filename="../ui/review/reviewworker.cpp" line="297"/>
        <source>approved</source>
        <translation>approuvé</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewworker.cpp" line="46"/>
        <source>pending</source>
        <translation>en attente</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewworker.cpp" line="47"/>
        <source>needs a second approval</source>
        <translation>attend une seconde approbation</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewworker.cpp" line="49"/>
        <location filename="../ui/review/reviewworker.cpp" line="293"/>
        <source>rejected</source>
        <translation>rejeté</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewworker.cpp" line="50"/>
        <source>revoked</source>
        <translation>révoquée</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewworker.cpp" line="51"/>
        <source>expired</source>
        <translation>expirée</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewworker.cpp" line="59"/>
        <source>low</source>
        <translation>faible</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewworker.cpp" line="60"/>
        <source>medium</source>
        <translation>moyen</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewworker.cpp" line="61"/>
        <source>high</source>
        <translation>élevé</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewworker.cpp" line="274"/>
        <source>rejected and requeued for an edit as v%1</source>
        <translation>rejeté et remis en file pour modification comme v%1</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewworker.cpp" line="275"/>
        <source>rejected and requeued for another model&apos;s answer as v%1</source>
        <translation>rejeté et remis en file pour la réponse d’un autre modèle comme v%1</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewworker.cpp" line="334"/>
        <source>v%1 preferred over v%2: %3</source>
        <translation>v%1 préférée à v%2 : %3</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewworker.cpp" line="352"/>
        <source>your edit %1@%2 was withdrawn</source>
        <translation>votre modification %1@%2 a été retirée</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewworker.cpp" line="366"/>
        <source>decision on %1@%2 withdrawn: %3, %4 of %5 approvals</source>
        <translation>décision sur %1@%2 retirée : %3, %4 sur %5 approbations</translation>
    </message>
    <message>
        <location filename="../ui/review/reviewworker.cpp" line="390"/>
        <source>edited: version %1 waits for another reviewer</source>
        <translation>modifié : la version %1 attend un autre relecteur</translation>
    </message>
</context>
<context>
    <name>l0::ui::RuleBenchWidget</name>
    <message>
        <location filename="../ui/rules/rulebenchwidget.cpp" line="108"/>
        <source>Tenant</source>
        <translation>Client</translation>
    </message>
    <message>
        <location filename="../ui/rules/rulebenchwidget.cpp" line="109"/>
        <source>(default namespace)</source>
        <translation>(espace de noms par défaut)</translation>
    </message>
    <message>
        <location filename="../ui/rules/rulebenchwidget.cpp" line="110"/>
        <source>Namespace</source>
        <translation>Espace de noms</translation>
    </message>
    <message>
        <location filename="../ui/rules/rulebenchwidget.cpp" line="111"/>
        <source>Type a query and press Enter</source>
        <translation>Saisissez une requête puis Entrée</translation>
    </message>
    <message>
        <location filename="../ui/rules/rulebenchwidget.cpp" line="112"/>
        <source>Query</source>
        <translation>Requête</translation>
    </message>
    <message>
        <location filename="../ui/rules/rulebenchwidget.cpp" line="116"/>
        <source>Result</source>
        <translation>Résultat</translation>
    </message>
    <message>
        <location filename="../ui/rules/rulebenchwidget.cpp" line="118"/>
        <source>Normalization steps</source>
        <translation>Étapes de normalisation</translation>
    </message>
    <message>
        <location filename="../ui/rules/rulebenchwidget.cpp" line="122"/>
        <source>&amp;Explain</source>
        <translation>&amp;Expliquer</translation>
    </message>
    <message>
        <location filename="../ui/rules/rulebenchwidget.cpp" line="124"/>
        <source>&amp;Tenant</source>
        <translation>&amp;Client</translation>
    </message>
    <message>
        <location filename="../ui/rules/rulebenchwidget.cpp" line="125"/>
        <source>&amp;Namespace</source>
        <translation>&amp;Espace de noms</translation>
    </message>
    <message>
        <location filename="../ui/rules/rulebenchwidget.cpp" line="129"/>
        <source>&amp;Query</source>
        <translation>&amp;Requête</translation>
    </message>
    <message>
        <location filename="../ui/rules/rulebenchwidget.cpp" line="174"/>
        <source>&lt;span style=&quot;color:#b3261e&quot;&gt;%1&lt;/span&gt;</source>
        <translation>&lt;span style=&quot;color:#b3261e&quot;&gt;%1&lt;/span&gt;</translation>
    </message>
    <message>
        <location filename="../ui/rules/rulebenchwidget.cpp" line="177"/>
        <source>Pack &lt;b&gt;%1&lt;/b&gt;: </source>
        <translation>Paquet &lt;b&gt;%1&lt;/b&gt; : </translation>
    </message>
    <message>
        <location filename="../ui/rules/rulebenchwidget.cpp" line="179"/>
        <source>abstains (no intent is sure enough): the request goes to the exact tier and upstream.</source>
        <translation>s&apos;abstient (aucune intention assez sûre) : la requête va au niveau exact puis au fournisseur.</translation>
    </message>
    <message>
        <location filename="../ui/rules/rulebenchwidget.cpp" line="181"/>
        <source>intent &lt;b&gt;%1&lt;/b&gt;, key &lt;code&gt;%2&lt;/code&gt;, </source>
        <translation>intention &lt;b&gt;%1&lt;/b&gt;, clé &lt;code&gt;%2&lt;/code&gt;, </translation>
    </message>
    <message>
        <location filename="../ui/rules/rulebenchwidget.cpp" line="182"/>
        <source>no entry yet: a miss.</source>
        <translation>pas encore d’entrée : un échec.</translation>
    </message>
    <message>
        <location filename="../ui/rules/rulebenchwidget.cpp" line="182"/>
        <source>hits entry &lt;b&gt;%1&lt;/b&gt;.</source>
        <translation>touche l’entrée &lt;b&gt;%1&lt;/b&gt;.</translation>
    </message>
</context>
<context>
    <name>l0::ui::RuleBenchWorker</name>
    <message>
        <location filename="../ui/rules/rulebenchwidget.cpp" line="69"/>
        <source>tenant %1 has no active rule pack: L0 is off for it</source>
        <translation>le client %1 n&apos;a pas de paquet de règles actif : L0 est désactivé pour lui</translation>
    </message>
</context>
</TS>
