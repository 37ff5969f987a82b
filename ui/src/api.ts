// Typed wrappers over the Tauri commands. One function per command; each takes the command's
// single `req` argument (except `board` and `stages`, which take none).
import { invoke } from "@tauri-apps/api/core";
import type { Activity } from "./bindings/Activity";
import type { ActivityQuery } from "./bindings/ActivityQuery";
import type { Board } from "./bindings/Board";
import type { Company } from "./bindings/Company";
import type { CompanyId } from "./bindings/CompanyId";
import type { CompanyUpdate } from "./bindings/CompanyUpdate";
import type { Contact } from "./bindings/Contact";
import type { ContactId } from "./bindings/ContactId";
import type { ContactUpdate } from "./bindings/ContactUpdate";
import type { Deal } from "./bindings/Deal";
import type { DealId } from "./bindings/DealId";
import type { DealQuery } from "./bindings/DealQuery";
import type { DealUpdate } from "./bindings/DealUpdate";
import type { Deleted } from "./bindings/Deleted";
import type { ListQuery } from "./bindings/ListQuery";
import type { Meeting } from "./bindings/Meeting";
import type { MoveDeal } from "./bindings/MoveDeal";
import type { NewActivity } from "./bindings/NewActivity";
import type { NewCompany } from "./bindings/NewCompany";
import type { NewContact } from "./bindings/NewContact";
import type { NewDeal } from "./bindings/NewDeal";
import type { NewTask } from "./bindings/NewTask";
import type { Stage } from "./bindings/Stage";
import type { Task } from "./bindings/Task";
import type { TaskId } from "./bindings/TaskId";
import type { TaskQuery } from "./bindings/TaskQuery";

/** Everything the UI can ask the backend. Components get it from `ApiContext`. */
export interface Api {
  board(): Promise<Board>;
  stages(): Promise<Stage[]>;

  listContacts(req: ListQuery): Promise<Contact[]>;
  getContact(req: ContactId): Promise<Contact>;
  addContact(req: NewContact): Promise<Contact>;
  updateContact(req: ContactUpdate): Promise<Contact>;
  deleteContact(req: ContactId): Promise<Deleted>;

  listCompanies(req: ListQuery): Promise<Company[]>;
  getCompany(req: CompanyId): Promise<Company>;
  addCompany(req: NewCompany): Promise<Company>;
  updateCompany(req: CompanyUpdate): Promise<Company>;
  deleteCompany(req: CompanyId): Promise<Deleted>;

  listDeals(req: DealQuery): Promise<Deal[]>;
  getDeal(req: DealId): Promise<Deal>;
  addDeal(req: NewDeal): Promise<Deal>;
  updateDeal(req: DealUpdate): Promise<Deal>;
  moveDeal(req: MoveDeal): Promise<Deal>;
  deleteDeal(req: DealId): Promise<Deleted>;

  listActivities(req: ActivityQuery): Promise<Activity[]>;
  logActivity(req: NewActivity): Promise<Activity>;

  listTasks(req: TaskQuery): Promise<Task[]>;
  addTask(req: NewTask): Promise<Task>;
  completeTask(req: TaskId): Promise<Task>;

  listMeetings(req: ListQuery): Promise<Meeting[]>;
}

export function board(): Promise<Board> {
  return invoke<Board>("board");
}
export function stages(): Promise<Stage[]> {
  return invoke<Stage[]>("stages");
}
export function listContacts(req: ListQuery): Promise<Contact[]> {
  return invoke<Contact[]>("list_contacts", { req });
}
export function getContact(req: ContactId): Promise<Contact> {
  return invoke<Contact>("get_contact", { req });
}
export function addContact(req: NewContact): Promise<Contact> {
  return invoke<Contact>("add_contact", { req });
}
export function updateContact(req: ContactUpdate): Promise<Contact> {
  return invoke<Contact>("update_contact", { req });
}
export function deleteContact(req: ContactId): Promise<Deleted> {
  return invoke<Deleted>("delete_contact", { req });
}
export function listCompanies(req: ListQuery): Promise<Company[]> {
  return invoke<Company[]>("list_companies", { req });
}
export function getCompany(req: CompanyId): Promise<Company> {
  return invoke<Company>("get_company", { req });
}
export function addCompany(req: NewCompany): Promise<Company> {
  return invoke<Company>("add_company", { req });
}
export function updateCompany(req: CompanyUpdate): Promise<Company> {
  return invoke<Company>("update_company", { req });
}
export function deleteCompany(req: CompanyId): Promise<Deleted> {
  return invoke<Deleted>("delete_company", { req });
}
export function listDeals(req: DealQuery): Promise<Deal[]> {
  return invoke<Deal[]>("list_deals", { req });
}
export function getDeal(req: DealId): Promise<Deal> {
  return invoke<Deal>("get_deal", { req });
}
export function addDeal(req: NewDeal): Promise<Deal> {
  return invoke<Deal>("add_deal", { req });
}
export function updateDeal(req: DealUpdate): Promise<Deal> {
  return invoke<Deal>("update_deal", { req });
}
export function moveDeal(req: MoveDeal): Promise<Deal> {
  return invoke<Deal>("move_deal", { req });
}
export function deleteDeal(req: DealId): Promise<Deleted> {
  return invoke<Deleted>("delete_deal", { req });
}
export function listActivities(req: ActivityQuery): Promise<Activity[]> {
  return invoke<Activity[]>("list_activities", { req });
}
export function logActivity(req: NewActivity): Promise<Activity> {
  return invoke<Activity>("log_activity", { req });
}
export function listTasks(req: TaskQuery): Promise<Task[]> {
  return invoke<Task[]>("list_tasks", { req });
}
export function addTask(req: NewTask): Promise<Task> {
  return invoke<Task>("add_task", { req });
}
export function completeTask(req: TaskId): Promise<Task> {
  return invoke<Task>("complete_task", { req });
}
export function listMeetings(req: ListQuery): Promise<Meeting[]> {
  return invoke<Meeting[]>("list_meetings", { req });
}

/** The real, invoke-backed api. */
export const tauriApi: Api = {
  board,
  stages,
  listContacts,
  getContact,
  addContact,
  updateContact,
  deleteContact,
  listCompanies,
  getCompany,
  addCompany,
  updateCompany,
  deleteCompany,
  listDeals,
  getDeal,
  addDeal,
  updateDeal,
  moveDeal,
  deleteDeal,
  listActivities,
  logActivity,
  listTasks,
  addTask,
  completeTask,
  listMeetings,
};
