/** Languages written right to left (the banner and the widget lay them out so). Its own module: the widget imports it without the banner's texts. */
const RTL = ['ar', 'he', 'fa', 'ur'];

export const isRtl = (lang: string): boolean => RTL.includes(lang);
