<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="nl" sourcelanguage="en">
<context>
    <name>HomeWindow</name>
    <message>
        <source>Cart %1 · %2</source>
        <translation>Kar %1 · %2</translation>
    </message>
    <message numerus="yes">
        <source>%n issue(s) on this cart</source>
        <translation>
            <numerusform>%n melding op deze kar</numerusform>
            <numerusform>%n meldingen op deze kar</numerusform>
        </translation>
    </message>
    <message>
        <source>Waiting to be sent: %1</source>
        <translation>Wacht op verzending: %1</translation>
    </message>
    <message>
        <source>The intake screen for nurses and the technician screen are coming. For now, report with: cowapp issue add</source>
        <translation>Het meldscherm voor verpleegkundigen en het technicusscherm volgen. Melden kan nu met: cowapp issue add</translation>
    </message>
</context>
<context>
    <name>IssueQueueModel</name>
    <message>
        <source>Priority</source>
        <translation>Prioriteit</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>Referentie</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Categorie</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Omschrijving</translation>
    </message>
    <message>
        <source>Ward / room</source>
        <translation>Afdeling / kamer</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>Ouderdom</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>Verzending</translation>
    </message>
    <message>
        <source>New</source>
        <translation>Nieuw</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>In behandeling</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>Opgelost</translation>
    </message>
    <message>
        <source>Instructed</source>
        <translation>Uitleg gegeven</translation>
    </message>
    <message>
        <source>No fault found</source>
        <translation>Geen storing gevonden</translation>
    </message>
    <message>
        <source>Escalated</source>
        <translation>Doorgezet</translation>
    </message>
    <message>
        <source>Resolved by IT</source>
        <translation>Opgelost door IT</translation>
    </message>
    <message>
        <source>Closed by IT</source>
        <translation>Gesloten door IT</translation>
    </message>
    <message>
        <source>On this cart</source>
        <translation>Op deze kar</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>In de wachtrij</translation>
    </message>
    <message>
        <source>Sending</source>
        <translation>Wordt verzonden</translation>
    </message>
    <message>
        <source>Synced</source>
        <translation>Verzonden</translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation>Vraagt aandacht</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 u</translation>
    </message>
    <message>
        <source>%1 d</source>
        <translation>%1 d</translation>
    </message>
</context>
<context>
    <name>IssueStatus</name>
    <message>
        <source>New</source>
        <translation>Nieuw</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>In behandeling</translation>
    </message>
    <message>
        <source>Resolved at the bedside</source>
        <translation>Opgelost aan het bed</translation>
    </message>
    <message>
        <source>Instructions given</source>
        <translation>Uitleg gegeven</translation>
    </message>
    <message>
        <source>No fault found</source>
        <translation>Geen storing gevonden</translation>
    </message>
    <message>
        <source>Escalated</source>
        <translation>Doorgezet</translation>
    </message>
    <message>
        <source>Resolved by IT</source>
        <translation>Opgelost door IT</translation>
    </message>
    <message>
        <source>Closed by IT</source>
        <translation>Gesloten door IT</translation>
    </message>
</context>
<context>
    <name>SyncStatus</name>
    <message>
        <source>No central service desk set up: issues stay on this cart</source>
        <translation>Geen centrale servicedesk ingesteld: meldingen blijven op deze kar</translation>
    </message>
    <message>
        <source>Checking the connection to the central service desk…</source>
        <translation>Verbinding met de centrale servicedesk controleren…</translation>
    </message>
    <message>
        <source>Connected to the central service desk · last sent %1</source>
        <translation>Verbonden met de centrale servicedesk · laatst verzonden %1</translation>
    </message>
    <message>
        <source>Sending paused: the technician must set up the login details again</source>
        <translation>Verzenden gepauzeerd: de technicus moet de inloggegevens opnieuw instellen</translation>
    </message>
    <message>
        <source>No connection to the central service desk: issues stay safe on the cart</source>
        <translation>Geen verbinding met de centrale servicedesk: meldingen blijven veilig op de kar</translation>
    </message>
    <message numerus="yes">
        <source>%n need(s) attention</source>
        <translation>
            <numerusform>%n vraagt aandacht</numerusform>
            <numerusform>%n vragen aandacht</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Theme</name>
    <message>
        <source>Day</source>
        <translation>Dag</translation>
    </message>
    <message>
        <source>Night</source>
        <translation>Nacht</translation>
    </message>
</context>
</TS>
