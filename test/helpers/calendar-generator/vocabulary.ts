// Words the generated events are made of: names, titles, places and sentences in several
// scripts (accents, CJK, Greek, Cyrillic, Arabic, emoji including ZWJ sequences), with the
// characters TEXT values must escape (RFC 5545 §3.3.11: `,` `;` `\` and newlines).

export const FIRST_NAMES = [
  'Ana', 'Bjørn', 'Chloé', 'Dmitri', 'Émile', 'Fatima', 'Günther', 'Hiroshi', 'Inès', 'João', 'Kenji',
  'Lena', 'María', 'Noah', 'Øyvind', 'Priya', 'Quentin', 'Renée', 'Søren', 'Takeshi', 'Ulla', 'Valérie',
  'Wei', 'Yuki', 'Zoë', 'Łucja',
];
export const LAST_NAMES = [
  'Andersen', 'Bernard', 'Çelik', 'Dubois', 'Eriksson', 'Fernández', 'García', 'Höglund', 'Ito', 'Jansen',
  'Kowalski', 'López', 'Müller', 'Nakamura', "O'Brien", 'Petrović', 'Rossi', 'Sato', 'Tanaka', 'Vogel',
  'Wójcik', 'Yamada',
];
export const TOPICS = [
  'Weekly sync', "Réunion d'équipe", 'Design review', '1:1', 'Sprint planning', 'Retro', 'Budget Q3',
  'Customer call', '打ち合わせ', 'Standup', 'Lunch 🍣', 'Offsite prep', 'Hiring panel', 'Déjeuner',
  'Board meeting', 'Demo day 🎉', 'Incident review', 'Roadmap', 'Café chat ☕', 'Training', 'Kickoff',
  'Release go/no-go', 'Architecture', 'Workshop', 'Yoga 🧘', 'Dentist', 'اجتماع الفريق', '주간 회의',
  'Pairing 👩‍💻👨‍💻', 'Planning; budget, hiring',
];
export const TOPIC_SUFFIXES = ['Projet Été', 'プロジェクトX', 'Alpha', 'Q1', 'Q2', 'Q3', 'Q4', 'Ωmega'];
export const PLACES = [
  'Conference Room A', 'Salle Éiffel, 3e étage', '東京オフィス 12F', 'Zoom', 'Google Meet',
  'Café de Flore, 172 Bd Saint-Germain, Paris', 'Room 42; Building B', 'Home office', 'Düsseldorf HQ',
  '会議室 B', 'Bar Ñandú, Buenos Aires', 'Online 🌐', 'Main St. 5, Springfield', 'C:\\Rooms\\Annex', '',
];
export const SENTENCES = [
  'Please review the attached agenda before the meeting.',
  'Nous discuterons du budget, des priorités et du calendrier.',
  '日本チームとの定例会議です。資料を事前に確認してください。',
  'Bring your laptop; we will pair on the migration plan.',
  'Agenda: 1) status, 2) risks, 3) next steps.',
  'Café et croissants offerts 🥐☕.',
  'Dial-in: +1 555 0100, PIN 1234#.',
  'Notes from last time are in the shared folder.',
  'Straße closed, use the north entrance — thanks!',
  'Rappel : apportez vos badges.',
  '🎉 Celebrating the release! 🚀',
  'Zürich, München and Kraków offices join remotely.',
  'Résumé of decisions will be sent afterwards.',
  'Ελληνικά και Русский текст для проверки кодировки.',
  'Question? Ask in #calendar-team; answers by EOD.',
  'naïve coöperation test, façade, jalapeño, smörgåsbord.',
  '議事録は後ほど共有します 📅',
  'يرجى تأكيد الحضور قبل الاجتماع.',
  'Path: \\\\fileserver\\minutes\\2025 (read-only).',
  'Family day 👨‍👩‍👧‍👦 — kids welcome.',
];
export const CATEGORIES = ['Work', 'Personal', 'Travel', 'Meeting', 'Holiday', 'Réunion', '仕事'];
export const PARTSTATS = ['ACCEPTED', 'TENTATIVE', 'NEEDS-ACTION', 'DECLINED'];
