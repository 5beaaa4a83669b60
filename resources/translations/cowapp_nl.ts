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
        <source>The technician screen is coming; until then use cowapp issue list / show.</source>
        <translation>Het technicusscherm volgt; gebruik tot dan cowapp issue list / show.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Report a problem</source>
        <translation>Probleem melden</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>Overzicht</translation>
    </message>
</context>
<context>
    <name>IntakeScreen</name>
    <message>
        <source>What is not working?</source>
        <translation>Wat werkt er niet?</translation>
    </message>
    <message>
        <source>Ward %1</source>
        <translation>Afdeling %1</translation>
    </message>
    <message>
        <source>What exactly? (optional)</source>
        <translation>Wat precies? (hoeft niet)</translation>
    </message>
    <message>
        <source>Can care continue safely?</source>
        <translation>Kan de zorg veilig doorgaan?</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Ja</translation>
    </message>
    <message>
        <source>With a workaround</source>
        <translation>Met een workaround</translation>
    </message>
    <message>
        <source>No</source>
        <translation>Nee</translation>
    </message>
    <message>
        <source>Who is affected?</source>
        <translation>Wie heeft er last van?</translation>
    </message>
    <message>
        <source>Me</source>
        <translation>Ik</translation>
    </message>
    <message>
        <source>Colleagues</source>
        <translation>Collega&apos;s</translation>
    </message>
    <message>
        <source>The whole ward</source>
        <translation>De hele afdeling</translation>
    </message>
    <message>
        <source>Several wards</source>
        <translation>Meerdere afdelingen</translation>
    </message>
    <message>
        <source>Patient safety at risk</source>
        <translation>Patiëntveiligheid in gevaar</translation>
    </message>
    <message>
        <source>VIM report number (only the number, no clinical details)</source>
        <translation>VIM-meldingsnummer (alleen het nummer, geen klinische gegevens)</translation>
    </message>
    <message>
        <source>What happened? (optional, short)</source>
        <translation>Wat gebeurde er? (hoeft niet, kort)</translation>
    </message>
    <message>
        <source>Error message on the screen (optional)</source>
        <translation>Foutmelding op het scherm (hoeft niet)</translation>
    </message>
    <message>
        <source>Room (optional)</source>
        <translation>Kamer (hoeft niet)</translation>
    </message>
    <message>
        <source>Asset tag, e.g. COW-1234 (optional)</source>
        <translation>Inventarisnummer, bijv. COW-1234 (hoeft niet)</translation>
    </message>
    <message>
        <source>Possible privacy incident</source>
        <translation>Mogelijk privacy-incident</translation>
    </message>
    <message>
        <source>Blocks the go-live</source>
        <translation>Blokkeert de livegang</translation>
    </message>
    <message>
        <source>A workaround is available</source>
        <translation>Er is een workaround</translation>
    </message>
    <message>
        <source>This is no patient data</source>
        <translation>Dit is geen patiëntgegeven</translation>
    </message>
    <message>
        <source>Staff number</source>
        <translation>Personeelsnummer</translation>
    </message>
    <message>
        <source>Scan your badge</source>
        <translation>Scan je pas</translation>
    </message>
    <message>
        <source>Save report</source>
        <translation>Melding opslaan</translation>
    </message>
    <message>
        <source>Report saved</source>
        <translation>Melding opgeslagen</translation>
    </message>
    <message>
        <source>Your reference</source>
        <translation>Je referentie</translation>
    </message>
    <message>
        <source>Saved on this cart — it will be sent as soon as there is a connection</source>
        <translation>Opgeslagen op deze kar — wordt verzonden zodra er verbinding is</translation>
    </message>
    <message>
        <source>New report</source>
        <translation>Nieuwe melding</translation>
    </message>
    <message>
        <source>More details</source>
        <translation>Meer details</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Omschrijving</translation>
    </message>
    <message>
        <source>Error message</source>
        <translation>Foutmelding</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>Kamer</translation>
    </message>
    <message>
        <source>VIM number</source>
        <translation>VIM-nummer</translation>
    </message>
    <message>
        <source>First tap what is not working</source>
        <translation>Tik eerst aan wat er niet werkt</translation>
    </message>
    <message>
        <source>Remove the BSN first</source>
        <translation>Haal eerst het BSN weg</translation>
    </message>
    <message>
        <source>First confirm: this is no patient data</source>
        <translation>Bevestig eerst: dit is geen patiëntgegeven</translation>
    </message>
    <message>
        <source>Scan your badge or type your staff number (3 to 10 digits)</source>
        <translation>Scan je pas of typ je personeelsnummer (3 tot 10 cijfers)</translation>
    </message>
    <message>
        <source>Only the VIM report number: letters, digits, - and /</source>
        <translation>Alleen het VIM-meldingsnummer: letters, cijfers, - en /</translation>
    </message>
    <message>
        <source>This does not look like an asset tag of this hospital</source>
        <translation>Dit lijkt niet op een inventarisnummer van dit ziekenhuis</translation>
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
