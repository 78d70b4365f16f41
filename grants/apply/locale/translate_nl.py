# ruff: noqa: E501 - one translation a line reads best
"""Fill the Dutch catalogue of the apply app: `python grants/apply/locale/translate_nl.py` after makemessages.

Keeps translations next to their English msgids in one reviewable place; fails on any msgid
without a Dutch text, so no entry stays empty or fuzzy.
"""

import ast
import re
import sys
from pathlib import Path

NL = {
    "This application can no longer be changed: its status is “%(status)s”.": "Deze aanvraag kan niet meer worden gewijzigd: de status is “%(status)s”.",
    "The evidence must be one of this application's attachments.": "Het bewijs moet een van de bijlagen van deze aanvraag zijn.",
    "This pledge can no longer be changed; the co-funder has answered it.": "Deze toezegging kan niet meer worden gewijzigd; de cofinancier heeft haar al beantwoord.",
    "Enter an amount in euros, for example 1.250,00.": "Vul een bedrag in euro's in, bijvoorbeeld 1.250,00.",
    "Enter an amount of more than € 0.": "Vul een bedrag van meer dan € 0 in.",
    "The amount cannot be negative.": "Het bedrag kan niet negatief zijn.",
    "This amount is too large.": "Dit bedrag is te groot.",
    "Title of your project": "Titel van uw project",
    "Summary": "Samenvatting",
    "In a few sentences: what will the team do, with whom, for which pupils?": "In een paar zinnen: wat gaat het team doen, met wie, voor welke leerlingen?",
    "Goals": "Doelen",
    "What will be different for pupils and teachers when the project is done?": "Wat is er anders voor leerlingen en leraren als het project klaar is?",
    "Track": "Spoor",
    "Learning area": "Leergebied",
    "Project start": "Start van het project",
    "Project end": "Einde van het project",
    "Choose a track": "Kies een spoor",
    "Choose a learning area": "Kies een leergebied",
    "A project in this scheme may last at most %(months)s months.": "Een project in deze regeling duurt hoogstens %(months)s maanden.",
    "The end date must be after the start date.": "De einddatum moet na de startdatum liggen.",
    "Participating schools": "Deelnemende scholen",
    "Add another school by its BRIN code": "Nog een school toevoegen met haar BRIN-code",
    "Four characters, such as 12AB. Ask your school's administration if you are unsure.": "Vier tekens, zoals 12AB. Vraag het de administratie van uw school als u het niet zeker weet.",
    "Cultural providers": "Culturele aanbieders",
    "Educational partners": "Onderwijspartners",
    "We know no school with BRIN code %(brin)s.": "Wij kennen geen school met BRIN-code %(brin)s.",
    "Category": "Categorie",
    "Choose a category": "Kies een categorie",
    "Description": "Omschrijving",
    "Amount (€)": "Bedrag (€)",
    "Co-funder": "Cofinancier",
    "Choose an organisation": "Kies een organisatie",
    "Co-funder's contact e-mail": "E-mailadres van de cofinancier",
    "The co-funder confirms the pledge through a personal link sent to this address.": "Hierheen sturen wij de persoonlijke link waarmee de cofinancier bevestigt.",
    "Evidence": "Bewijs",
    "No evidence yet": "Nog geen bewijs",
    "A letter or e-mail of the co-funder, uploaded under Attachments.": "Een brief of e-mail van de cofinancier, geüpload bij Bijlagen.",
    "What is this file?": "Wat is dit bestand?",
    "For example: letter of support from the school board.": "Bijvoorbeeld: steunbrief van het schoolbestuur.",
    "File": "Bestand",
    "PDF, Word (DOCX), Excel (XLSX), OpenDocument (ODT), PNG or JPEG; at most 20 MB.": "PDF, Word (DOCX), Excel (XLSX), OpenDocument (ODT), PNG of JPEG; hoogstens 20 MB.",
    "Choose a file to upload.": "Kies een bestand om te uploaden.",
    "No co-funding required.": "Geen cofinanciering nodig.",
    "Co-funders add as much as the fund gives (1 : 1).": "Cofinanciers leggen zoveel bij als het fonds geeft (1 : 1).",
    "Co-funders add %(percent)s%% of what the fund gives.": "Cofinanciers leggen %(percent)s%% bij van wat het fonds geeft.",
    "Save and continue": "Opslaan en verder",
    "Save and check": "Opslaan en controleren",
    "Save": "Opslaan",
    "Back to the application": "Terug naar de aanvraag",
    "Steps of the application": "Stappen van de aanvraag",
    "complete": "compleet",
    "optional": "niet verplicht",
    "not complete yet": "nog niet compleet",
    "Check and submit": "Controleren en indienen",
    "Not saved yet: correct what is marked below. Everything you entered is still here.": "Nog niet opgeslagen: verbeter wat hieronder is gemarkeerd. Alles wat u invulde staat er nog.",
    "All open schemes": "Alle open regelingen",
    "Open": "Open",
    "from %(opens)s to %(closes)s": "van %(opens)s tot en met %(closes)s",
    "Maximum per application": "Maximum per aanvraag",
    "Co-funding": "Cofinanciering",
    "For school types": "Voor schoolsoorten",
    "all school types": "alle schoolsoorten",
    "Budget still available": "Nog beschikbaar budget",
    "of %(ceiling)s": "van %(ceiling)s",
    "Tracks": "Sporen",
    "Maximum project length": "Maximale projectduur",
    "The scheme": "De regeling",
    "Apply for this scheme": "Aanvragen",
    "This scheme does not accept applications now.": "Deze regeling neemt nu geen aanvragen aan.",
    "You are not a member of a teacher team yet, so you cannot start an application. Ask your team's contact person for an invitation.": "U bent nog geen lid van een lerarenteam, dus u kunt nog geen aanvraag starten. Vraag de contactpersoon van uw team om een uitnodiging.",
    "%(team)s already has a draft for this scheme:": "%(team)s heeft al een concept voor deze regeling:",
    "(untitled)": "(zonder titel)",
    "started %(day)s": "begonnen op %(day)s",
    "You apply on behalf of %(team)s. Your draft is saved at every step; you submit it when it is complete.": "U vraagt aan namens %(team)s. Uw concept wordt bij elke stap bewaard; u dient het in als het compleet is.",
    "Start an application": "Een aanvraag starten",
    "Open schemes": "Open regelingen",
    "These schemes accept applications now. Open a scheme to read its conditions and start an application for your team.": "Deze regelingen nemen nu aanvragen aan. Open een regeling om de voorwaarden te lezen en een aanvraag voor uw team te starten.",
    "Closes on": "Sluit op",
    "No scheme accepts applications at the moment.": "Op dit moment neemt geen regeling aanvragen aan.",
    "Attachments": "Bijlagen",
    "Add what supports your plan: a letter of the school board, a quotation, a lesson plan. Only PDF, Word (DOCX), Excel (XLSX), OpenDocument (ODT), PNG and JPEG files of at most 20 MB.": "Voeg toe wat uw plan onderbouwt: een brief van het schoolbestuur, een offerte, een lesplan. Alleen PDF-, Word- (DOCX), Excel- (XLSX), OpenDocument- (ODT), PNG- en JPEG-bestanden van hoogstens 20 MB.",
    "Uploaded files": "Geüploade bestanden",
    "Size": "Grootte",
    "Actions": "Acties",
    "Delete": "Verwijderen",
    "No files uploaded yet.": "Nog geen bestanden geüpload.",
    "Upload a file": "Een bestand uploaden",
    "The file was not added.": "Het bestand is niet toegevoegd.",
    "Upload": "Uploaden",
    "Continue to check and submit": "Verder naar controleren en indienen",
    "Budget": "Begroting",
    "List the costs of your project by category. You request the budget total minus the co-funding; the scheme gives at most %(maximum)s per application.": "Zet de kosten van uw project per categorie op een rij. U vraagt het totaal van de begroting min de cofinanciering aan; de regeling geeft hoogstens %(maximum)s per aanvraag.",
    "Budget line": "Begrotingspost",
    "Add a budget line": "Begrotingspost toevoegen",
    "Budget total": "Totaal begroting",
    "Co-funding pledged": "Toegezegde cofinanciering",
    "You request": "U vraagt aan",
    "This is more than the maximum of %(maximum)s.": "Dat is meer dan het maximum van %(maximum)s.",
    "With a budget of %(budget)s, co-funders must pledge at least %(minimum)s together.": "Bij een begroting van %(budget)s moeten cofinanciers samen minstens %(minimum)s toezeggen.",
    'Each co-funder confirms its pledge through a personal link sent to the contact e-mail. Upload a letter of the co-funder under <a class="utrecht-link" href="%(attachments_url)s">Attachments</a> and choose it as the evidence.': 'Elke cofinancier bevestigt de toezegging via een persoonlijke link die naar het e-mailadres van de contactpersoon gaat. Upload een brief van de cofinancier bij <a class="utrecht-link" href="%(attachments_url)s">Bijlagen</a> en kies die als bewijs.',
    "Answered by the co-funder": "Beantwoord door de cofinancier",
    "Amount": "Bedrag",
    "Status": "Status",
    "Pledge": "Toezegging",
    "Add a co-funder": "Cofinancier toevoegen",
    "Schools and partners": "Scholen en partners",
    "Which schools take part, and who works with you? This scheme is for: %(types)s.": "Welke scholen doen mee, en wie werkt met u samen? Deze regeling is voor: %(types)s.",
    "Plan": "Plan",
    "Your plan": "Uw plan",
    "Describe what your team wants to do. You may save an incomplete plan and come back later.": "Beschrijf wat uw team wil doen. U mag een onvolledig plan opslaan en later verder gaan.",
    "Before you can submit": "Voordat u kunt indienen",
    "Your application is complete. Check it once more and submit it.": "Uw aanvraag is compleet. Controleer haar nog één keer en dien haar in.",
    "Change": "Wijzigen",
    "Title": "Titel",
    "Project": "Project",
    "from %(start)s to %(end)s": "van %(start)s tot en met %(end)s",
    "Partners": "Partners",
    "Budget lines": "Begrotingsposten",
    "Requested amount": "Aangevraagd bedrag",
    "Co-funding pledges": "Toezeggingen voor cofinanciering",
    "When you submit, %(funder)s receives your application and you can no longer change it. You receive a confirmation by e-mail.": "Als u indient, ontvangt %(funder)s uw aanvraag en kunt u haar niet meer wijzigen. U krijgt een bevestiging per e-mail.",
    "Submit the application": "Aanvraag indienen",
    'The funder asked for more information. Complete the application here, then answer the request and send the application back on <a class="utrecht-link" href="%(url)s">the application\'s page</a>.': 'De subsidieverstrekker heeft om meer informatie gevraagd. Vul de aanvraag hier aan, beantwoord daarna het verzoek en stuur de aanvraag terug op <a class="utrecht-link" href="%(url)s">de pagina van de aanvraag</a>.',
    "“%(name)s” is not a PDF, Word (DOCX), Excel (XLSX), OpenDocument (ODT), PNG or JPEG file. We look at what the file contains, not at its name.": "“%(name)s” is geen PDF-, Word- (DOCX), Excel- (XLSX), OpenDocument- (ODT), PNG- of JPEG-bestand. Wij kijken naar wat er in het bestand staat, niet naar de naam.",
    "“%(name)s” is larger than %(limit)s MB; a file may be at most %(limit)s MB.": "“%(name)s” is groter dan %(limit)s MB; een bestand mag hoogstens %(limit)s MB zijn.",
    "“%(name)s” is empty.": "“%(name)s” is leeg.",
    "attachment": "bijlage",
    "“%(name)s” is added.": "“%(name)s” is toegevoegd.",
    "“%(name)s” is deleted.": "“%(name)s” is verwijderd.",
    "Saved.": "Opgeslagen.",
    "You are not a member of a teacher team yet. Ask your team's contact person for an invitation.": "U bent nog geen lid van een lerarenteam. Vraag de contactpersoon van uw team om een uitnodiging.",
    "Your draft application for %(scheme)s is ready. It is saved at every step.": "Uw conceptaanvraag voor %(scheme)s staat klaar. Ze wordt bij elke stap bewaard.",
    "Your application %(reference)s is submitted. You will receive a confirmation by e-mail.": "Uw aanvraag %(reference)s is ingediend. U krijgt een bevestiging per e-mail.",
    "An application can have at most %(count)s attachments; delete one first.": "Een aanvraag kan hoogstens %(count)s bijlagen hebben; verwijder er eerst een.",
    "“%(name)s” is the evidence of a confirmed co-funding pledge and cannot be deleted.": "“%(name)s” is het bewijs van een bevestigde toezegging en kan niet worden verwijderd.",
}
PLURALS = {
    "%(months)s month": ("%(months)s maand", "%(months)s maanden"),
}


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def main(path: Path) -> None:
    blocks = path.read_text().split("\n\n")
    missing, out = [], []
    for block in blocks:
        lines = block.split("\n")
        text = "\n".join(lines)
        match = re.search(r'^msgid ((?:".*"\n?)+)', text, re.M)
        if not match:
            out.append(block)
            continue
        msgid = "".join(ast.literal_eval(line) for line in match.group(1).strip().split("\n"))
        if not msgid:
            out.append(block)
            continue
        head = []
        for line in lines:
            if line.startswith("msgstr"):
                break
            head.append(line)
        head = [line for line in head if line != "#, fuzzy"]
        if "msgid_plural" in text:
            if msgid not in PLURALS:
                missing.append(msgid)
                out.append(block)
                continue
            one, many = PLURALS[msgid]
            out.append("\n".join([*head, f"msgstr[0] {quote(one)}", f"msgstr[1] {quote(many)}"]))
        else:
            if msgid not in NL:
                missing.append(msgid)
                out.append(block)
                continue
            out.append("\n".join([*head, f"msgstr {quote(NL[msgid])}"]))
    catalogue = "\n\n".join(out).replace('#, fuzzy\nmsgid ""', 'msgid ""', 1)
    path.write_text(catalogue.replace('"Language: \\n"', '"Language: nl\\n"', 1))
    if missing:
        sys.exit("No Dutch for:\n" + "\n".join(missing))


if __name__ == "__main__":
    main(Path(__file__).parent / "nl" / "LC_MESSAGES" / "django.po")
