// What both web areas (the public site, the console) draw alike: the one page shell and the small
// parts they share.
export { NavLink, PageShell } from "./layout";
export { ReplyAuthor, type ReplyAuthorFields } from "./reply-author";
export { WebLink } from "./web-link";
