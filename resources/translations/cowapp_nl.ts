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
        <source>Technicians: sign in on the Technician page with your staff number and PIN.</source>
        <translation>Technici: meld je aan op de pagina Technicus met je personeelsnummer en pincode.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Lock</source>
        <translation>Vergrendel</translation>
    </message>
    <message>
        <source>Lock the screen now; the session stays yours</source>
        <translation>Scherm nu vergrendelen; de sessie blijft van jou</translation>
    </message>
    <message>
        <source>Report a problem</source>
        <translation>Probleem melden</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>Overzicht</translation>
    </message>
    <message>
        <source>Technician</source>
        <translation>Technicus</translation>
    </message>
    <message>
        <source>Sign out %1</source>
        <translation>Afmelden %1</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>Dashboard</translation>
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
        <translation>Prio</translation>
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
        <translation>Wacht</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>Verzending</translation>
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
    <name>IssueSyncState</name>
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
    <name>SyncBar</name>
    <message>
        <source>Checking connection…</source>
        <translation>Verbinding controleren…</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>Verbonden</translation>
    </message>
    <message>
        <source>No connection</source>
        <translation>Geen verbinding</translation>
    </message>
    <message>
        <source>Sending paused</source>
        <translation>Verzenden gepauzeerd</translation>
    </message>
    <message>
        <source>No service desk</source>
        <translation>Geen servicedesk</translation>
    </message>
    <message>
        <source>Needs attention (%1)</source>
        <translation>Aandacht nodig (%1)</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Verzenden…</translation>
    </message>
    <message>
        <source>Send now</source>
        <translation>Nu verzenden</translation>
    </message>
    <message>
        <source>Issues stay on this cart</source>
        <translation>Meldingen blijven op deze kar</translation>
    </message>
    <message>
        <source>oldest %1</source>
        <translation>oudste %1</translation>
    </message>
    <message>
        <source>Nothing waiting</source>
        <translation>Niets te verzenden</translation>
    </message>
    <message>
        <source>last synced %1</source>
        <translation>laatst bijgewerkt %1</translation>
    </message>
    <message>
        <source>a technician must enter the login details</source>
        <translation>een technicus moet de inloggegevens invoeren</translation>
    </message>
    <message numerus="yes">
        <source>%n waiting to be sent</source>
        <translation>
            <numerusform>%n wacht op verzending</numerusform>
            <numerusform>%n wachten op verzending</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AttentionView</name>
    <message>
        <source>New issue</source>
        <translation>Nieuwe melding</translation>
    </message>
    <message>
        <source>Change to the issue</source>
        <translation>Wijziging van de melding</translation>
    </message>
    <message>
        <source>Note on the issue</source>
        <translation>Notitie bij de melding</translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation>Aandacht nodig</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Sluiten</translation>
    </message>
    <message>
        <source>The central service desk did not accept these. Read its message, then try again or discard.</source>
        <translation>De centrale servicedesk heeft deze niet aangenomen. Lees het bericht van de servicedesk en probeer het daarna opnieuw of gooi het weg.</translation>
    </message>
    <message>
        <source>Nothing needs attention: everything is being sent.</source>
        <translation>Niets vraagt aandacht: alles wordt verzonden.</translation>
    </message>
    <message>
        <source>%1 will be sent again.</source>
        <translation>%1 wordt opnieuw verzonden.</translation>
    </message>
    <message>
        <source>%1 was discarded: it stays on this cart and is not sent.</source>
        <translation>%1 is weggegooid: het blijft op deze kar en wordt niet verzonden.</translation>
    </message>
    <message>
        <source>This item was already dealt with.</source>
        <translation>Dit is al afgehandeld.</translation>
    </message>
    <message>
        <source>Only a signed-in technician can discard.</source>
        <translation>Alleen een aangemelde technicus kan weggooien.</translation>
    </message>
</context>
<context>
    <name>AttentionCard</name>
    <message>
        <source>The service desk says: %1</source>
        <translation>De servicedesk meldt: %1</translation>
    </message>
    <message>
        <source>Waiting since %1</source>
        <translation>Wacht sinds %1</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Opnieuw proberen</translation>
    </message>
    <message>
        <source>Discard…</source>
        <translation>Weggooien…</translation>
    </message>
    <message>
        <source>Discard? The service desk will never get this.</source>
        <translation>Weggooien? De servicedesk krijgt dit dan nooit.</translation>
    </message>
    <message>
        <source>Yes, discard</source>
        <translation>Ja, weggooien</translation>
    </message>
    <message>
        <source>Keep it</source>
        <translation>Bewaren</translation>
    </message>
    <message>
        <source>Only a technician can discard.</source>
        <translation>Alleen een technicus kan weggooien.</translation>
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
<context>
    <name>GuardedText</name>
    <message>
        <source>This is no patient data</source>
        <translation>Dit zijn geen patiëntgegevens</translation>
    </message>
</context>
<context>
    <name>IssueDetail</name>
    <message>
        <source>⚠ Patient safety at risk</source>
        <translation>⚠ Patiëntveiligheid in gevaar</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>Dubbel</translation>
    </message>
    <message>
        <source>Close as duplicate</source>
        <translation>Afsluiten als dubbel</translation>
    </message>
    <message>
        <source>No other issue on this cart has that reference: tap one above or check it</source>
        <translation>Geen andere melding op deze kar heeft die referentie: tik er hierboven een aan of controleer hem</translation>
    </message>
    <message>
        <source>Tap an issue in the list to see it here</source>
        <translation>Tik op een melding in de lijst om die hier te zien</translation>
    </message>
    <message>
        <source>Claim</source>
        <translation>Oppakken</translation>
    </message>
    <message>
        <source>Resolve</source>
        <translation>Oplossen</translation>
    </message>
    <message>
        <source>Escalate</source>
        <translation>Doorzetten</translation>
    </message>
    <message>
        <source>Add note</source>
        <translation>Notitie</translation>
    </message>
    <message>
        <source>Impact/urgency</source>
        <translation>Impact/urgentie</translation>
    </message>
    <message>
        <source>How was it solved?</source>
        <translation>Hoe is het opgelost?</translation>
    </message>
    <message>
        <source>Minutes spent</source>
        <translation>Bestede minuten</translation>
    </message>
    <message>
        <source>Escalate to</source>
        <translation>Doorzetten naar</translation>
    </message>
    <message>
        <source>Impact: who is affected?</source>
        <translation>Impact: wie heeft er last van?</translation>
    </message>
    <message>
        <source>1 Several wards</source>
        <translation>1 Meerdere afdelingen</translation>
    </message>
    <message>
        <source>2 One ward</source>
        <translation>2 Eén afdeling</translation>
    </message>
    <message>
        <source>3 One person</source>
        <translation>3 Eén persoon</translation>
    </message>
    <message>
        <source>Urgency: can care continue?</source>
        <translation>Urgentie: kan de zorg door?</translation>
    </message>
    <message>
        <source>1 Not safely</source>
        <translation>1 Niet veilig</translation>
    </message>
    <message>
        <source>2 Workaround</source>
        <translation>2 Met omweg</translation>
    </message>
    <message>
        <source>3 No impact</source>
        <translation>3 Geen impact</translation>
    </message>
    <message>
        <source>Save as resolved</source>
        <translation>Opslaan als opgelost</translation>
    </message>
    <message>
        <source>Escalate now</source>
        <translation>Nu doorzetten</translation>
    </message>
    <message>
        <source>Save note</source>
        <translation>Notitie opslaan</translation>
    </message>
    <message>
        <source>Save impact/urgency</source>
        <translation>Impact/urgentie opslaan</translation>
    </message>
    <message>
        <source>What did you do? (optional)</source>
        <translation>Wat heb je gedaan? (optioneel)</translation>
    </message>
    <message>
        <source>Reason for the resolver group (required)</source>
        <translation>Reden voor de oplosgroep (verplicht)</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Notitie</translation>
    </message>
    <message>
        <source>Choose how it was solved</source>
        <translation>Kies hoe het is opgelost</translation>
    </message>
    <message>
        <source>Remove the BSN first: patient data may not go into a ticket</source>
        <translation>Haal eerst het BSN weg: patiëntgegevens mogen niet in een melding</translation>
    </message>
    <message>
        <source>First confirm: this is no patient data</source>
        <translation>Bevestig eerst: dit zijn geen patiëntgegevens</translation>
    </message>
    <message>
        <source>Not possible now: the issue is %1</source>
        <translation>Nu niet mogelijk: de melding is %1</translation>
    </message>
    <message>
        <source>Write a reason the resolver group can use</source>
        <translation>Schrijf een reden waar de oplosgroep mee verder kan</translation>
    </message>
    <message>
        <source>Choose the group to escalate to</source>
        <translation>Kies de groep om naar door te zetten</translation>
    </message>
    <message>
        <source>Choose impact and urgency</source>
        <translation>Kies impact en urgentie</translation>
    </message>
    <message>
        <source>Remove the BSN first</source>
        <translation>Haal eerst het BSN weg</translation>
    </message>
    <message>
        <source>Priority %1 · %2</source>
        <translation>Prioriteit %1 · %2</translation>
    </message>
    <message>
        <source>(no description)</source>
        <translation>(geen omschrijving)</translation>
    </message>
    <message>
        <source>The central service desk owns the priority now</source>
        <translation>De centrale servicedesk bepaalt nu de prioriteit</translation>
    </message>
    <message>
        <source>⚠ Patient safety at risk · VIM %1</source>
        <translation>⚠ Patiëntveiligheid in gevaar · VIM %1</translation>
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
        <translation>Er is een omweg</translation>
    </message>
    <message>
        <source>Escalated to %1</source>
        <translation>Doorgezet naar %1</translation>
    </message>
    <message>
        <source>Claimed by you</source>
        <translation>Door jou opgepakt</translation>
    </message>
    <message>
        <source>Claimed by %1</source>
        <translation>Opgepakt door %1</translation>
    </message>
    <message>
        <source>Reported by %1</source>
        <translation>Gemeld door %1</translation>
    </message>
    <message>
        <source>Central ticket %1</source>
        <translation>Centrale melding %1</translation>
    </message>
    <message>
        <source>Waiting to be sent to the central service desk</source>
        <translation>Wacht op verzending naar de centrale servicedesk</translation>
    </message>
    <message>
        <source>Sending failed: tap Needs attention at the bottom</source>
        <translation>Verzenden mislukt: tik onderaan op Aandacht nodig</translation>
    </message>
    <message>
        <source>On this cart only</source>
        <translation>Alleen op deze kar</translation>
    </message>
    <message>
        <source>Reported</source>
        <translation>Gemeld</translation>
    </message>
    <message>
        <source>Claimed</source>
        <translation>Opgepakt</translation>
    </message>
    <message>
        <source>Released</source>
        <translation>Teruggegeven</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>Opgelost</translation>
    </message>
    <message>
        <source>Escalated</source>
        <translation>Doorgezet</translation>
    </message>
    <message>
        <source>Reopened</source>
        <translation>Heropend</translation>
    </message>
    <message>
        <source>Priority changed</source>
        <translation>Prioriteit gewijzigd</translation>
    </message>
    <message>
        <source>Update from IT</source>
        <translation>Update van IT</translation>
    </message>
    <message>
        <source>Timeline (times on this cart)</source>
        <translation>Tijdlijn (tijden van deze kar)</translation>
    </message>
    <message>
        <source>Resolution notes: %1</source>
        <translation>Oplossing: %1</translation>
    </message>
    <message>
        <source>Escalation reason: %1</source>
        <translation>Reden doorzetten: %1</translation>
    </message>
    <message>
        <source>Fixed</source>
        <translation>Verholpen</translation>
    </message>
    <message>
        <source>room %1</source>
        <translation>kamer %1</translation>
    </message>
    <message>
        <source>Restarted</source>
        <translation>Herstart</translation>
    </message>
    <message>
        <source>Settings changed</source>
        <translation>Instelling aangepast</translation>
    </message>
    <message>
        <source>Replaced</source>
        <translation>Vervangen</translation>
    </message>
    <message>
        <source>Access granted</source>
        <translation>Toegang gegeven</translation>
    </message>
    <message>
        <source>Workaround given</source>
        <translation>Omweg gegeven</translation>
    </message>
    <message>
        <source>Explained how</source>
        <translation>Uitleg gegeven</translation>
    </message>
    <message>
        <source>No fault found</source>
        <translation>Geen fout gevonden</translation>
    </message>
</context>
<context>
    <name>TechnicianScreen</name>
    <message>
        <source>+ New report</source>
        <translation>+ Nieuwe melding</translation>
    </message>
    <message>
        <source>Enter a problem for the nurse standing here</source>
        <translation>Een probleem invoeren voor de verpleegkundige die hier staat</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Alle</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>Opgelost</translation>
    </message>
    <message>
        <source>Escalated</source>
        <translation>Doorgezet</translation>
    </message>
    <message>
        <source>Issues: %1</source>
        <translation>Meldingen: %1</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Categorie</translation>
    </message>
    <message>
        <source>Category (%1)</source>
        <translation>Categorie (%1)</translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <source>Locked — signed in: %1</source>
        <translation>Vergrendeld — aangemeld: %1</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>Doorgaan</translation>
    </message>
    <message>
        <source>Someone else</source>
        <translation>Iemand anders</translation>
    </message>
    <message>
        <source>Scan your badge or type your staff number</source>
        <translation>Scan je pas of typ je personeelsnummer</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Terug</translation>
    </message>
</context>
<context>
    <name>PinMessages</name>
    <message>
        <source>Locked until %1</source>
        <translation>Geblokkeerd tot %1</translation>
    </message>
    <message>
        <source>Locked: try again later</source>
        <translation>Geblokkeerd: probeer het later opnieuw</translation>
    </message>
    <message>
        <source>Wrong PIN</source>
        <translation>Onjuiste pincode</translation>
    </message>
    <message numerus="yes">
        <source>Wrong PIN, %n attempt(s) left</source>
        <translation>
            <numerusform>Onjuiste pincode, nog %n poging</numerusform>
            <numerusform>Onjuiste pincode, nog %n pogingen</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PinPad</name>
    <message>
        <source>Enter your PIN</source>
        <translation>Voer je pincode in</translation>
    </message>
    <message>
        <source>Delete last digit</source>
        <translation>Laatste cijfer wissen</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message numerus="yes">
        <source>%n digit(s) entered</source>
        <translation>
            <numerusform>%n cijfer ingevoerd</numerusform>
            <numerusform>%n cijfers ingevoerd</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TechnicianSignIn</name>
    <message>
        <source>Sign in: technician or manager</source>
        <translation>Aanmelden: technicus of manager</translation>
    </message>
    <message>
        <source>Scan your badge or type your staff number</source>
        <translation>Scan je pas of typ je personeelsnummer</translation>
    </message>
    <message>
        <source>Staff number</source>
        <translation>Personeelsnummer</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Volgende</translation>
    </message>
    <message>
        <source>Staff number: %1</source>
        <translation>Personeelsnummer: %1</translation>
    </message>
    <message>
        <source>Other staff number</source>
        <translation>Ander personeelsnummer</translation>
    </message>
    <message>
        <source>A staff number has 3 to 10 digits</source>
        <translation>Een personeelsnummer heeft 3 tot 10 cijfers</translation>
    </message>
</context>
<context>
    <name>SessionControl</name>
    <message>
        <source>Your unfinished report is back: check it and tap “Save report”</source>
        <translation>Je onafgemaakte melding is terug: controleer hem en tik op ‘Melding opslaan’</translation>
    </message>
    <message>
        <source>The session has ended; sign in again</source>
        <translation>De sessie is beëindigd; meld je opnieuw aan</translation>
    </message>
    <message>
        <source>Only the person signed in can continue; tap “Someone else”</source>
        <translation>Alleen wie is aangemeld kan verder; tik op ‘Iemand anders’</translation>
    </message>
</context>
<context>
    <name>DuplicatePicker</name>
    <message>
        <source>Same problem as which issue?</source>
        <translation>Hetzelfde probleem als welke melding?</translation>
    </message>
    <message>
        <source>No other open issue in this category: type its reference</source>
        <translation>Geen andere open melding in deze categorie: typ de referentie</translation>
    </message>
    <message>
        <source>Reference, e.g. KD7-M4X</source>
        <translation>Referentie, bijv. KD7-M4X</translation>
    </message>
</context>
<context>
    <name>DemoBanner</name>
    <message>
        <source>Demo with made-up issues, gone when the app closes · Technician: %1, PIN %2</source>
        <translation>Demo met verzonnen meldingen, weg zodra de app sluit · Technicus: %1, pincode %2</translation>
    </message>
</context>
<context>
    <name>KnownIssueSuggestions</name>
    <message>
        <source>Known problem? Try this first</source>
        <translation>Bekend probleem? Probeer dit eerst</translation>
    </message>
    <message>
        <source>Good to hear it is solved. Nothing was reported.</source>
        <translation>Fijn dat het is opgelost. Er is niets gemeld.</translation>
    </message>
    <message>
        <source>I have this too</source>
        <translation>Ik heb dit ook</translation>
    </message>
    <message>
        <source>Solved</source>
        <translation>Opgelost</translation>
    </message>
</context>
<context>
    <name>KnownIssuePanel</name>
    <message>
        <source>Checklist for this category</source>
        <translation>Checklist voor deze categorie</translation>
    </message>
    <message>
        <source>Publish as known issue</source>
        <translation>Publiceren als bekend probleem</translation>
    </message>
    <message>
        <source>Title nurses will recognise</source>
        <translation>Titel die verpleegkundigen herkennen</translation>
    </message>
    <message>
        <source>What the nurse sees</source>
        <translation>Wat de verpleegkundige ziet</translation>
    </message>
    <message>
        <source>Self-help steps, one per line</source>
        <translation>Stappen om het zelf op te lossen, één per regel</translation>
    </message>
    <message>
        <source>This is no patient data</source>
        <translation>Dit zijn geen patiëntgegevens</translation>
    </message>
    <message>
        <source>Publish</source>
        <translation>Publiceren</translation>
    </message>
    <message>
        <source>Remove the BSN first</source>
        <translation>Haal eerst het BSN weg</translation>
    </message>
    <message>
        <source>First confirm: this is no patient data</source>
        <translation>Bevestig eerst: dit zijn geen patiëntgegevens</translation>
    </message>
    <message>
        <source>Fill in a title, the symptom and the steps</source>
        <translation>Vul een titel, het symptoom en de stappen in</translation>
    </message>
    <message>
        <source>Published: nurses see it while they type</source>
        <translation>Gepubliceerd: verpleegkundigen zien het terwijl ze typen</translation>
    </message>
</context>
<context>
    <name>DashboardScreen</name>
    <message>
        <source>Counting…</source>
        <translation>Tellen…</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>Dashboard</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Vernieuwen</translation>
    </message>
    <message>
        <source>Reported today</source>
        <translation>Vandaag gemeld</translation>
    </message>
    <message>
        <source>Against the baseline</source>
        <translation>T.o.v. nulmeting</translation>
    </message>
    <message>
        <source>Solved at the bedside</source>
        <translation>Aan het bed opgelost</translation>
    </message>
    <message>
        <source>Escalated</source>
        <translation>Doorgezet</translation>
    </message>
    <message>
        <source>Time to claim</source>
        <translation>Tijd tot oppakken</translation>
    </message>
    <message>
        <source>Time to resolve</source>
        <translation>Tijd tot oplossen</translation>
    </message>
    <message>
        <source>Open now</source>
        <translation>Nu open</translation>
    </message>
    <message>
        <source>Solved by nurses</source>
        <translation>Zelf opgelost</translation>
    </message>
    <message>
        <source>Privacy-guard hits</source>
        <translation>Privacycheck</translation>
    </message>
    <message>
        <source>Not yet sent</source>
        <translation>Niet verzonden</translation>
    </message>
    <message>
        <source>Could not count: %1</source>
        <translation>Tellen lukte niet: %1</translation>
    </message>
    <message>
        <source>Updated %1</source>
        <translation>Bijgewerkt %1</translation>
    </message>
    <message>
        <source>Yesterday: %1</source>
        <translation>Gisteren: %1</translation>
    </message>
    <message>
        <source>90%: within %1</source>
        <translation>90%: binnen %1</translation>
    </message>
    <message>
        <source>Blocking go-live: %1</source>
        <translation>Blokkeert go-live: %1</translation>
    </message>
    <message>
        <source>Reopened: %1</source>
        <translation>Heropend: %1</translation>
    </message>
    <message>
        <source>Confirmed · BSN not counted</source>
        <translation>Bevestigd · BSN niet geteld</translation>
    </message>
    <message>
        <source>Set the baseline in config.toml</source>
        <translation>Stel de nulmeting in config.toml in</translation>
    </message>
    <message>
        <source>%1/day, was %2/day</source>
        <translation>%1/dag, was %2/dag</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 u</translation>
    </message>
    <message>
        <source>Issues per day since go-live</source>
        <translation>Meldingen per dag sinds go-live</translation>
    </message>
    <message>
        <source>Per day</source>
        <translation>Per dag</translation>
    </message>
    <message>
        <source>7-day average</source>
        <translation>Gemiddelde over 7 dagen</translation>
    </message>
    <message>
        <source>Before the carts</source>
        <translation>Vóór de karren</translation>
    </message>
    <message>
        <source>Top categories</source>
        <translation>Meest gemelde categorieën</translation>
    </message>
    <message>
        <source>Solved at the bedside per day (%)</source>
        <translation>Aan het bed opgelost per dag (%)</translation>
    </message>
    <message>
        <source>Bedside</source>
        <translation>Aan het bed</translation>
    </message>
    <message>
        <source>Open issues by age</source>
        <translation>Open meldingen naar leeftijd</translation>
    </message>
    <message>
        <source>0–1 h</source>
        <translation>0–1 u</translation>
    </message>
    <message>
        <source>1–4 h</source>
        <translation>1–4 u</translation>
    </message>
    <message>
        <source>4–24 h</source>
        <translation>4–24 u</translation>
    </message>
    <message>
        <source>1–3 days</source>
        <translation>1–3 dagen</translation>
    </message>
    <message>
        <source>3+ days</source>
        <translation>3+ dagen</translation>
    </message>
    <message>
        <source>Oldest %1 · failed %2</source>
        <translation>Oudste %1 · mislukt %2</translation>
    </message>
    <message>
        <source>%1 d</source>
        <translation>%1 d</translation>
    </message>
    <message>
        <source>Patient safety</source>
        <translation>Patiëntveiligheid</translation>
    </message>
    <message>
        <source>Repeat devices</source>
        <translation>Herhaalde apparaten</translation>
    </message>
    <message>
        <source>Still open: %1</source>
        <translation>Nog open: %1</translation>
    </message>
    <message>
        <source>Me too: %1</source>
        <translation>Ik heb dit ook: %1</translation>
    </message>
    <message>
        <source>None twice</source>
        <translation>Geen dubbel</translation>
    </message>
    <message>
        <source>%1: %2 times</source>
        <translation>%1: %2 keer</translation>
    </message>
</context>
<context>
    <name>HuddleReport</name>
    <message>
        <source>Carts last seen (latest time in their export): %1</source>
        <translation>Karren laatst gezien (laatste tijd in hun export): %1</translation>
    </message>
    <message>
        <source>Daily huddle: IT at the bedside</source>
        <translation>Dagelijkse huddle: IT aan het bed</translation>
    </message>
    <message>
        <source>%1 · carts: %2</source>
        <translation>%1 · karren: %2</translation>
    </message>
    <message>
        <source>reported that day</source>
        <translation>gemeld die dag</translation>
    </message>
    <message>
        <source>of those solved at the bedside</source>
        <translation>daarvan aan het bed opgelost</translation>
    </message>
    <message>
        <source>a day, 7-day average</source>
        <translation>per dag, gemiddelde over 7 dagen</translation>
    </message>
    <message>
        <source>against before the carts</source>
        <translation>t.o.v. vóór de karren</translation>
    </message>
    <message>
        <source>open now</source>
        <translation>nu open</translation>
    </message>
    <message>
        <source>go-live blockers open</source>
        <translation>go-live-blokkades open</translation>
    </message>
    <message>
        <source>escalated (period)</source>
        <translation>doorgezet (periode)</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 u</translation>
    </message>
    <message>
        <source>to claim (median)</source>
        <translation>tot oppakken (mediaan)</translation>
    </message>
    <message>
        <source>Issues per day since go-live</source>
        <translation>Meldingen per dag sinds go-live</translation>
    </message>
    <message>
        <source>Per day</source>
        <translation>Per dag</translation>
    </message>
    <message>
        <source>7-day average</source>
        <translation>Gemiddelde over 7 dagen</translation>
    </message>
    <message>
        <source>Before the carts</source>
        <translation>Vóór de karren</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Categorie</translation>
    </message>
    <message>
        <source>That day</source>
        <translation>Die dag</translation>
    </message>
    <message>
        <source>Day before</source>
        <translation>Dag ervoor</translation>
    </message>
    <message>
        <source>Nothing reported</source>
        <translation>Niets gemeld</translation>
    </message>
    <message>
        <source>Top 10 that day</source>
        <translation>Top 10 van die dag</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>Referentie</translation>
    </message>
    <message>
        <source>Ward</source>
        <translation>Afdeling</translation>
    </message>
    <message>
        <source>Days open</source>
        <translation>Dagen open</translation>
    </message>
    <message>
        <source>None open</source>
        <translation>Geen open</translation>
    </message>
    <message>
        <source>Open go-live blockers</source>
        <translation>Open go-live-blokkades</translation>
    </message>
    <message>
        <source>Made %1 by cowapp. Counts only: no free text, no patient data.</source>
        <translation>Gemaakt %1 door cowapp. Alleen aantallen: geen vrije tekst, geen patiëntgegevens.</translation>
    </message>
    <message>
        <source>From exports: sync and privacy counts are not included.</source>
        <translation>Uit exports: verzend- en privacytellingen zijn niet meegenomen.</translation>
    </message>
</context>
</TS>
