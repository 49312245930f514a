<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
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
        <translation>v%1  %2  risque %3  par %4, %5</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="120"/>
        <source>; decided by %1, %2</source>
        <translation> ; décidé par %1, %2</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="147"/>
        <source>Savings dashboard</source>
        <translation>Tableau des économies</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="150"/>
        <source>Last 24 hours</source>
        <translation>Dernières 24 heures</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="151"/>
        <source>Last 7 days</source>
        <translation>7 derniers jours</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="152"/>
        <source>Last 30 days</source>
        <translation>30 derniers jours</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="153"/>
        <source>Custom range</source>
        <translation>Période personnalisée</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="155"/>
        <source>Range</source>
        <translation>Période</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="161"/>
        <source>From</source>
        <translation>Du</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="162"/>
        <source>To</source>
        <translation>Au</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="164"/>
        <source>%1 (this computer)</source>
        <translation>%1 (cet ordinateur)</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="170"/>
        <source>Time zone</source>
        <translation>Fuseau horaire</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="171"/>
        <source>All tenants</source>
        <translation>Tous les clients</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="172"/>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="239"/>
        <source>Tenant</source>
        <translation>Client</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="175"/>
        <source>tenant</source>
        <translation>client</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="176"/>
        <source>namespace</source>
        <translation>espace de noms</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="176"/>
        <source>model</source>
        <translation>modèle</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="177"/>
        <source>tier</source>
        <translation>niveau</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="177"/>
        <source>intent</source>
        <translation>intention</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="178"/>
        <source>By %1</source>
        <translation>Par %1</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="180"/>
        <source>Break down by</source>
        <translation>Répartir par</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="181"/>
        <source>&amp;Refresh</source>
        <translation>&amp;Actualiser</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="183"/>
        <source>Read the ledger again (F5)</source>
        <translation>Relire le registre (F5)</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="184"/>
        <source>Export &amp;CSV...</source>
        <translation>Exporter en &amp;CSV...</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="185"/>
        <source>Export &amp;charts...</source>
        <translation>Exporter les &amp;graphiques...</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="203"/>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="236"/>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="239"/>
        <source>Saved</source>
        <translation>Économisé</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="204"/>
        <source>Cost: baseline → actual</source>
        <translation>Coût : sans cache → réel</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="205"/>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="236"/>
        <source>Hit rate</source>
        <translation>Taux de réussite</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="206"/>
        <source>Time saved</source>
        <translation>Temps gagné</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="207"/>
        <source>Review backlog</source>
        <translation>Relectures en attente</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="208"/>
        <source>Shadow: would have saved</source>
        <translation>Mode fantôme : aurait économisé</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="209"/>
        <source>Unpriced requests</source>
        <translation>Requêtes sans prix</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="230"/>
        <source>Cost over time by model, with the cost without the cache</source>
        <translation>Coût dans le temps par modèle, avec le coût sans cache</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="231"/>
        <source>Hit rate by tier</source>
        <translation>Taux de réussite par niveau</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="232"/>
        <source>Model mix (requests)</source>
        <translation>Répartition des modèles (requêtes)</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="236"/>
        <source>Group</source>
        <translation>Groupe</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="236"/>
        <source>Requests</source>
        <translation>Requêtes</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="236"/>
        <source>Unpriced</source>
        <translation>Sans prix</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="239"/>
        <source>Entry</source>
        <translation>Entrée</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="239"/>
        <source>Tier / intent</source>
        <translation>Niveau / intention</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="239"/>
        <source>Hits</source>
        <translation>Réussites</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="239"/>
        <source>Query</source>
        <translation>Requête</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="248"/>
        <source>Savings by group</source>
        <translation>Économies par groupe</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="249"/>
        <source>Top entries by savings; press Enter for the entry&apos;s review history</source>
        <translation>Entrées qui économisent le plus ; Entrée affiche l&apos;historique de relecture</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="250"/>
        <source>Double-click or press Enter for the entry&apos;s review history</source>
        <translation>Double-cliquez ou appuyez sur Entrée pour l&apos;historique de relecture</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="257"/>
        <source>&lt;b&gt;Savings by group&lt;/b&gt;</source>
        <translation>&lt;b&gt;Économies par groupe&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="269"/>
        <source>&lt;b&gt;Top entries by savings&lt;/b&gt;</source>
        <translation>&lt;b&gt;Entrées qui économisent le plus&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="405"/>
        <source>Loading…</source>
        <translation>Chargement…</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="414"/>
        <source>Cannot read the ledger: %1</source>
        <translation>Impossible de lire le registre : %1</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="420"/>
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="427"/>
        <source>Shadow-mode tenants are answered upstream; this is what the cache would have saved them. It is not part of &quot;Saved&quot;.</source>
        <translation>Les clients en mode fantôme sont servis par le fournisseur ; voici ce que le cache leur aurait économisé. Ce n&apos;est pas compté dans « Économisé ».</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="433"/>
        <source>Requests to models without a price: their cost is unknown, not $0. Add prices to count them.</source>
        <translation>Requêtes vers des modèles sans prix : leur coût est inconnu, pas 0 $. Ajoutez des prix pour les compter.</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="434"/>
        <source>Every request was priced.</source>
        <translation>Chaque requête avait un prix.</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="455"/>
        <source>without the cache</source>
        <translation>sans cache</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="527"/>
        <source>L0 (intent)</source>
        <translation>L0 (intention)</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="548"/>
        <source> (unpriced)</source>
        <translation> (sans prix)</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="558"/>
        <source>(none)</source>
        <translation>(aucun)</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="583"/>
        <source>Updated %1</source>
        <translation>Mis à jour %1</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="590"/>
        <source>Entry %1: review history</source>
        <translation>Entrée %1 : historique de relecture</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="593"/>
        <source>Cannot read the history: %1</source>
        <translation>Impossible de lire l&apos;historique : %1</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="594"/>
        <source>Review history</source>
        <translation>Historique de relecture</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="614"/>
        <source>cannot write %1</source>
        <translation>impossible d&apos;écrire %1</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="624"/>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="629"/>
        <source>Export CSV</source>
        <translation>Exporter en CSV</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="624"/>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="629"/>
        <source>Cannot write %1: %2</source>
        <translation>Impossible d&apos;écrire %1 : %2</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="634"/>
        <source>Export charts as PNG into</source>
        <translation>Exporter les graphiques en PNG dans</translation>
    </message>
    <message>
        <location filename="../ui/dashboard/dashboardwidget.cpp" line="639"/>
        <source>Export charts</source>
        <translation>Exporter les graphiques</translation>
    </message>
</context>
<context>
    <name>l0::ui::MainWindow</name>
    <message>
        <location filename="../ui/mainwindow.cpp" line="24"/>
        <source>L0 Cache Console</source>
        <translation>Console L0 Cache</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="27"/>
        <source>Entry</source>
        <translation>Entrée</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="27"/>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="27"/>
        <source>Tenant</source>
        <translation>Client</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="27"/>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="27"/>
        <source>Demand</source>
        <translation>Demande</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="27"/>
        <source>Query</source>
        <translation>Requête</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="31"/>
        <source>Review queue</source>
        <translation>File de relecture</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="32"/>
        <source>Review &amp;queue</source>
        <translation>&amp;File de relecture</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="33"/>
        <source>&amp;Savings</source>
        <translation>É&amp;conomies</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="36"/>
        <source>Not connected</source>
        <translation>Non connecté</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="38"/>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="39"/>
        <source>&amp;Open SQLite store...</source>
        <translation>&amp;Ouvrir un stockage SQLite...</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="43"/>
        <source>Open store</source>
        <translation>Ouvrir le stockage</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="43"/>
        <source>SQLite (*.sqlite *.db);;All files (*)</source>
        <translation>SQLite (*.sqlite *.db);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="47"/>
        <source>&amp;Refresh</source>
        <translation>&amp;Actualiser</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="50"/>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="72"/>
        <source>Reviewing needs the reviewer role; managers see savings.</source>
        <translation>La relecture demande le rôle de relecteur ; les responsables voient les économies.</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="77"/>
        <source>Error</source>
        <translation>Erreur</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="86"/>
        <location filename="../ui/mainwindow.cpp" line="91"/>
        <source>Error: %1</source>
        <translation>Erreur : %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/mainwindow.cpp" line="103"/>
        <source>%n candidate(s) waiting in %1</source>
        <translation>
            <numerusform>%n candidat en attente dans %1</numerusform>
            <numerusform>%n candidats en attente dans %1</numerusform>
        </translation>
    </message>
</context>
</TS>
